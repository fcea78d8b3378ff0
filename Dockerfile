# syntax=docker/dockerfile:1
# Images of the scaled mode (see docker-compose.yml and docs/deploy.md).
#
#   target app    (the default, last stage): the application: `juanzong init`, gunicorn, `juanzong worker`
#   target minio  MinIO built from its Go module at the version the tests run against
#                 (scripts/services/minio.sh): MinIO publishes no new images of its community edition.

# ---------------------------------------------------------------- MinIO
FROM golang:1.26 AS minio-build
ARG MINIO_MODULE_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
RUN CGO_ENABLED=0 GOBIN=/out GOFLAGS=-trimpath go install "github.com/minio/minio@${MINIO_MODULE_VERSION}"

FROM debian:bookworm-slim AS minio
RUN apt-get update \
    && apt-get install --yes --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10002 minio \
    && useradd --system --uid 10002 --gid minio --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin minio \
    && install -d -o minio -g minio -m 0750 /data
COPY --from=minio-build /out/minio /usr/local/bin/minio
USER minio
EXPOSE 9000 9001
ENTRYPOINT ["minio"]
CMD ["server", "/data", "--address", ":9000", "--console-address", ":9001"]

# ---------------------------------------------------------------- the application
FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    JUANZONG_DATA_DIR=/var/lib/juanzong

# A user of its own; the code stays root's (read-only to the application).
RUN groupadd --system --gid 10001 juanzong \
    && useradd --system --uid 10001 --gid juanzong --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin juanzong \
    && install -d -o juanzong -g juanzong -m 0750 /var/lib/juanzong

WORKDIR /opt/juanzong/src
COPY pyproject.toml requirements.lock README.md ./
COPY archive ./archive
COPY ingest ./ingest
COPY search ./search
COPY web ./web
COPY juanzong ./juanzong
COPY demodata ./demodata
# Exact versions from the lock file; the package (with its templates and migrations) goes into
# site-packages, the source tree is removed.
RUN pip install -c requirements.lock '.[scaled]' \
    && cd / && rm -rf /opt/juanzong/src

WORKDIR /opt/juanzong
USER juanzong
EXPOSE 8000
CMD ["gunicorn", "--bind=0.0.0.0:8000", "--worker-class=gthread", "--workers=3", "--threads=4", \
     "--timeout=300", "--access-logfile=-", "web:create_app()"]
