"""The deployment files describe a production the application agrees to start in."""

import base64
import re

import yaml

from app.core.config import Environment, Settings
from tests.support.database import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def _with_secrets(value: str) -> str:
    """${NAME:?message} as docker compose would expand it, with a stand-in secret."""
    key = base64.urlsafe_b64encode(b"k" * 32).decode()
    return re.sub(
        r"\$\{(\w+):\?[^}]*\}",
        lambda m: key if m.group(1).startswith("PII") else f"{m.group(1)}-x" * 4,
        value,
    )


def test_compose_runs_postgres_s3_two_app_replicas_and_nginx():
    services = _compose()["services"]

    assert {"postgres", "seaweedfs", "app1", "app2", "nginx"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["app2"]["depends_on"]["app1"]["condition"] == "service_healthy"


def test_the_app_environment_of_compose_is_a_production_the_app_accepts():
    environment = {
        k.lower(): _with_secrets(str(v)) for k, v in _compose()["services"]["app1"]["environment"].items()
    }
    known = set(Settings.model_fields)

    settings = Settings(**{k: v for k, v in environment.items() if k in known})

    assert settings.app_env is Environment.production
    assert settings.storage_backend == "s3" and settings.database_url.startswith("postgresql+asyncpg://")
    assert not settings.docs_served


def test_nginx_caps_bodies_near_the_upload_limit_and_hides_metrics():
    config = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")

    (limit,) = re.findall(r"client_max_body_size (\d+)m;", config)
    assert 20 < int(limit) <= 25
    assert "proxy_request_buffering off;" in config
    assert re.search(r"location = /metrics \{\s*deny all;", config)
