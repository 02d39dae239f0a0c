# syntax=docker/dockerfile:1
# Multi-stage: dependencies are built once in a builder, the runtime image has no compiler
# and runs as an unprivileged user. Configure it with the environment variables of the README.

# 受理审批工作台: built from its lock file into the package's app/workbench/static.
FROM node:20-bookworm-slim AS workbench
WORKDIR /src/workbench
COPY workbench/package.json workbench/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY workbench/ ./
RUN npm run build

FROM python:3.11-slim-bookworm AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
COPY --from=workbench /src/app/workbench/static ./app/workbench/static
RUN /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install -c constraints.txt .

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/var/lib/msa
RUN groupadd --system msa && useradd --system --gid msa --home-dir /app --shell /usr/sbin/nologin msa \
 && mkdir -p /var/lib/msa && chown msa:msa /var/lib/msa
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY alembic.ini ./
COPY migrations ./migrations
COPY scripts/serve ./scripts/serve
USER msa
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=2)"
# Migrations, then the shipped seed data (idempotent), then the server.
CMD ["scripts/serve"]
