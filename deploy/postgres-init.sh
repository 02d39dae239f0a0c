#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
# POSTGRES_USER (msa) owns the schema and runs migrations; the API connects as msa_app, which
# `python -m app.cli grant-runtime-role` gives row access after every migration.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE msa_app LOGIN PASSWORD :'app_password';
SQL
