# The Rasa runtime: Rasa 3.6 on Python 3.10, the custom actions, the trained model and the spaCy pipelines.
# Built by `make images` (scripts/build-images) from build/wheelhouse/rasa (wheels of requirements.lock, less
# the test tools); BASE_IMAGE is any Debian bookworm image with Python 3.10 as python3 (docs/it.md).
ARG BASE_IMAGE=python:3.10-slim-bookworm

FROM ${BASE_IMAGE} AS venv
ARG PIP_VERSION=26.3
COPY build/wheelhouse/rasa /wheelhouse
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/python -m pip install --no-cache-dir --no-index --find-links /wheelhouse "pip==${PIP_VERSION}" \
 && /opt/venv/bin/python -m pip install --no-cache-dir --no-index --find-links /wheelhouse \
      -r /wheelhouse/requirements.txt \
 && /opt/venv/bin/python -m pip check

FROM ${BASE_IMAGE}
ARG PARTNERSHIP=pan_cheshire
RUN groupadd --system --gid 10001 assistant \
 && useradd --system --uid 10001 --gid assistant --create-home --home-dir /home/assistant \
      --shell /usr/sbin/nologin assistant
COPY --from=venv /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:${PATH} \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RASA_PYTHON=/opt/venv/bin/python \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    PARTNERSHIP=${PARTNERSHIP} \
    SPACY_MODEL=build/spacy/en_safeguarding \
    RASA_HOST=0.0.0.0 \
    RASA_PORT=5005 \
    ACTIONS_PORT=5055
WORKDIR /app
COPY pyproject.toml domain.yml config.yml endpoints.yml credentials.yml ./
COPY data data
COPY build/spacy build/spacy
COPY models/${PARTNERSHIP}.tar.gz models/
COPY actions actions
COPY bot bot
COPY deploy/docker/entrypoint deploy/docker/healthcheck.py deploy/docker/
# var/: the SQLite databases, the pseudonym key and the query log's spool; build/: endpoints files written at start
# /var/lib/assistant: where the Compose file and the Kubernetes manifests mount the query log's spool volume (a
# new volume takes this directory's owner)
RUN mkdir -p var /var/lib/assistant && chown assistant:assistant var build /var/lib/assistant \
 && chmod 0750 var /var/lib/assistant
VOLUME /app/var
USER assistant
EXPOSE 5005 5055
HEALTHCHECK --interval=30s --timeout=10s --start-period=180s --retries=3 \
  CMD ["python", "deploy/docker/healthcheck.py"]
ENTRYPOINT ["deploy/docker/entrypoint"]
CMD ["serve"]
# Last, as they change with every commit: the layers above stay cached.
ARG VERSION=unknown
ARG REVISION=unknown
LABEL org.opencontainers.image.title="missing-children-assistant-rasa" \
      org.opencontainers.image.description="Missing-children protocol assistant: Rasa server and action server" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
