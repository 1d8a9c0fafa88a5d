# A local stand-in for the official python:X-slim-bookworm images where no container registry is reachable:
# a Debian base made by debootstrap plus this machine's own Python build (python.tar: its prefix, at the same
# path, as its shared library is found there). scripts/build-images builds it; with a registry it is not used.
ARG DEBIAN_IMAGE=local/debian:bookworm
FROM ${DEBIAN_IMAGE}
ARG PYTHON_PREFIX
# The libraries the standard library's extension modules link against (no Tk).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libbz2-1.0 libcrypt1 libexpat1 libffi8 liblzma5 libncursesw6 libnsl2 libreadline8 libsqlite3-0 libssl3 \
      libtirpc3 libuuid1 zlib1g \
 && rm -rf /var/lib/apt/lists/*
ADD python.tar /
# The prefix may sit under /root (pyenv): the image's other users may pass through, not list it.
RUN chmod 0711 /root \
 && test -x "${PYTHON_PREFIX}/bin/python3" \
 && ln -s "${PYTHON_PREFIX}/bin/python3" /usr/local/bin/python3 \
 && ln -s "${PYTHON_PREFIX}/bin/python3" /usr/local/bin/python \
 && python3 -c 'import ctypes, hashlib, lzma, sqlite3, ssl, uuid, venv, zlib'
CMD ["python3"]
