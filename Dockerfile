# fangtan: node builds the PWA, a slim Python image serves it and the API.
# Data (SQLite file, blobs, keys) lives on the /data volume.

FROM node:20-bookworm-slim AS pwa
WORKDIR /src/pwa
COPY pwa/ ./
RUN if [ -f package.json ]; then npm install --no-save --no-audit --no-fund && npm run build; else mkdir -p dist; fi

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    FANGTAN_DATA_DIR=/data FANGTAN_HOST=0.0.0.0 FANGTAN_PORT=8000 FANGTAN_STATIC_DIR=/app/pwa/dist
WORKDIR /app
COPY pyproject.toml README.md ./
COPY server/ server/
COPY sync/ sync/
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /data fangtan \
    && mkdir -p /data && chown fangtan /data
COPY --from=pwa /src/pwa/dist /app/pwa/dist
USER fangtan
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4).status == 200 else 1)"
CMD ["fangtan", "serve"]
