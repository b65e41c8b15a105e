# Glassnet: the backend image, serving the built frontend at /.
#   docker build -t glassnet .   &&   docker run -p 8000:8000 -v glassnet-data:/data glassnet
# GPU variant (NVIDIA): PyPI's torch wheel, which carries its own CUDA runtime, so the host needs only
# the NVIDIA driver and container toolkit:
#   docker build --build-arg TORCH_INDEX= -t glassnet:gpu .   &&   docker run --gpus all ... glassnet:gpu
# Ray variant (runs spread over a Ray cluster; see the `ray` profile of docker-compose.yml):
#   docker build --build-arg EXTRAS=[ray] -t glassnet:ray .

# --- the frontend, built once into backend/glassnet/static --------------------------------
FROM node:20-bookworm-slim AS frontend
WORKDIR /src
COPY frontend/package.json frontend/package-lock.json frontend/
RUN cd frontend && npm ci --no-audit --no-fund --loglevel=error
COPY frontend frontend
COPY shared_schemas/json shared_schemas/json
RUN cd frontend && npm run build

# --- the Python app (constraints.txt pins the whole resolved set) ----------------------------
FROM python:3.11-slim AS app
# Where torch comes from: the CPU-only wheel index by default (a small image); empty for PyPI's
# CUDA build (the GPU variant). constraints.txt pins torch==2.13.0, which either satisfies.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
# Optional extras of the glassnet package: `[ray]` adds the Ray executor (and the `ray` command).
ARG EXTRAS=""
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GLASSNET_HOST=0.0.0.0 \
    GLASSNET_PORT=8000 \
    GLASSNET_DATA_DIR=/data
WORKDIR /app
COPY pyproject.toml README.md LICENSE constraints.txt ./
COPY shared_schemas shared_schemas
COPY backend backend
COPY --from=frontend /src/backend/glassnet/static backend/glassnet/static
RUN pip install ${TORCH_INDEX:+--extra-index-url "$TORCH_INDEX"} -c constraints.txt ".${EXTRAS}" \
    && useradd --create-home --uid 10001 glassnet \
    && mkdir -p /data && chown glassnet /data
USER glassnet
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["glassnet", "serve"]
