# The public tier: the web app and review dashboard (`python -m bot web`) on current Python, without Rasa.
# Built by `make images` (scripts/build-images) from build/wheelhouse/web (wheels of requirements-web.lock,
# less the test tools); BASE_IMAGE is any Debian bookworm image with Python 3.13 as python3 (docs/it.md).
ARG BASE_IMAGE=python:3.13-slim-bookworm

FROM ${BASE_IMAGE} AS venv
ARG PIP_VERSION=26.3
COPY build/wheelhouse/web /wheelhouse
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
    WEB_PYTHON=/opt/venv/bin/python \
    PARTNERSHIP=${PARTNERSHIP} \
    WEB_PORT=8080 \
    RASA_URL=http://127.0.0.1:5005
WORKDIR /app
COPY pyproject.toml domain.yml ./
COPY data data
COPY bot bot
COPY deploy/docker/entrypoint deploy/docker/healthcheck.py deploy/docker/
# var/: the SQLite databases and the dashboard's cookie key when no database server or key is given
RUN mkdir -p var && chown assistant:assistant var && chmod 0750 var
VOLUME /app/var
USER assistant
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["python", "deploy/docker/healthcheck.py"]
ENTRYPOINT ["deploy/docker/entrypoint"]
CMD ["web"]
# Last, as they change with every commit: the layers above stay cached.
ARG VERSION=unknown
ARG REVISION=unknown
LABEL org.opencontainers.image.title="missing-children-assistant-web" \
      org.opencontainers.image.description="Missing-children protocol assistant: web chat and review dashboard" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
