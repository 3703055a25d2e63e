# fangtan: node builds the PWA, a build stage makes the wheel with the PWA inside (tools/build_wheel.py,
# the same wheel `make test` installs and starts), and a slim runtime installs only that wheel.
# Data (SQLite file, blobs, keys) lives on the /data volume.
# The base images are arguments so that the image test (tests/e2e/test_container_image.py) can build
# this very file where Docker Hub is out of reach, from stand-ins made of Debian's own packages.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${NODE_IMAGE} AS pwa
WORKDIR /src/pwa
COPY pwa/ ./
RUN npm install --no-save --no-audit --no-fund && npm run build

FROM ${PYTHON_IMAGE} AS wheel
WORKDIR /src
COPY pyproject.toml README.md ./
COPY server/ server/
COPY sync/ sync/
COPY tools/ tools/
COPY --from=pwa /src/pwa/dist pwa/dist
RUN python tools/build_wheel.py --out /wheels

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    FANGTAN_DATA_DIR=/data FANGTAN_HOST=0.0.0.0 FANGTAN_PORT=8000 \
    FANGTAN_EVALUATION_KEY_FILE=/keys/evaluation.key
COPY --from=wheel /wheels /wheels
COPY deploy/ /opt/fangtan/deploy/
RUN pip install --no-cache-dir "$(ls /wheels/fangtan-*.whl)[deploy]" && rm -rf /wheels \
    && useradd --system --uid 10001 --home-dir /data fangtan \
    && mkdir -p /data /keys && chown fangtan /data /keys
USER fangtan
WORKDIR /data
# /keys: the evaluation sealing key, outside the data volume and its backups (docs/evaluation.md).
VOLUME ["/data", "/keys"]
EXPOSE 8000
# Readiness, not liveness: a full disk, a stuck writer or a stalled scheduler makes the container unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/health/ready', timeout=8).status == 200 else 1)"
CMD ["fangtan", "serve"]
