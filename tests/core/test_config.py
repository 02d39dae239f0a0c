"""Production refuses to start on development defaults, and says why."""

import base64
import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from app.core.config import DEV_PII_ENCRYPTION_KEY, DEV_PII_INDEX_KEY, Environment, Settings
from tests.support.database import REPO_ROOT

SAFE_PRODUCTION = {
    "app_env": Environment.production,
    "secret_key": "x" * 48,
    "wechat_adapter": "real",
    "face_adapter": "real",
    "certificate_registry": "none",
    "demo_data": False,
    "database_url": "postgresql+asyncpg://msa@db/msa",
    "pii_encryption_key": base64.urlsafe_b64encode(b"e" * 32).decode(),
    "pii_index_key": base64.urlsafe_b64encode(b"i" * 32).decode(),
    "wechat_app_id": "wx0123456789abcdef",
    "wechat_app_secret": "a-real-app-secret",
}


def test_production_starts_with_real_secrets_adapters_and_database():
    settings = Settings(**SAFE_PRODUCTION)

    assert settings.sqlalchemy_url.startswith("postgresql+asyncpg://")


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"secret_key": "dev-insecure-secret-key-change-me"}, "SECRET_KEY"),
        ({"secret_key": "short"}, "SECRET_KEY"),
        ({"wechat_adapter": "fake"}, "WECHAT_ADAPTER"),
        ({"face_adapter": "fake"}, "FACE_ADAPTER"),
        ({"certificate_registry": "fake"}, "CERTIFICATE_REGISTRY"),
        ({"demo_data": True}, "DEMO_DATA"),
        ({"database_url": None}, "DATABASE_URL"),
        ({"pii_encryption_key": DEV_PII_ENCRYPTION_KEY}, "PII_ENCRYPTION_KEY"),
        ({"pii_index_key": DEV_PII_INDEX_KEY}, "PII_INDEX_KEY"),
        ({"wechat_app_secret": ""}, "WECHAT_APP_SECRET"),
    ],
)
def test_production_refuses_a_development_default(override, reason):
    with pytest.raises(ValidationError, match=reason):
        Settings(**{**SAFE_PRODUCTION, **override})


def test_the_embedded_default_is_a_sqlite_file_under_the_data_dir(tmp_path):
    settings = Settings(data_dir=tmp_path)

    assert settings.app_env is Environment.dev
    assert settings.sqlalchemy_url == f"sqlite+aiosqlite:///{tmp_path.resolve()}/msa.sqlite3"
    assert settings.files_dir == tmp_path / "files"


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))

    settings = Settings()

    assert settings.port == 9001
    assert settings.data_dir == tmp_path


@pytest.mark.parametrize("key", ["too-short", "!!!not base64!!!"])
def test_a_personal_data_key_must_be_32_bytes_of_base64(key):
    with pytest.raises(ValidationError, match="pii_encryption_key"):
        Settings(pii_encryption_key=key)


def test_the_server_refuses_to_start_in_production_on_defaults(tmp_path):
    environment = {"PATH": os.environ["PATH"], "APP_ENV": "production", "DATA_DIR": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "-c", "from app.main import create_app; create_app()"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )

    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr
    assert "SECRET_KEY" in result.stderr and "WECHAT_ADAPTER" in result.stderr
