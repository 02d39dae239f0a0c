"""Production refuses to start on development defaults, and says why."""

import base64
import os
import secrets
import subprocess
import sys

import pytest
from pydantic import ValidationError

from app.core.config import DEV_PII_ENCRYPTION_KEY, DEV_PII_INDEX_KEY, Environment, Settings
from tests.support.database import REPO_ROOT

SAFE_PRODUCTION = {
    "app_env": Environment.production,
    "secret_key": "kZ3v9QmT0xR7bL2nWfY8sA1dH6jC4gUeP5oVtK_iM-w",
    "wechat_adapter": "real",
    "face_adapter": "real",
    "certificate_registry": "none",
    "demo_data": False,
    "database_url": "postgresql+asyncpg://msa@db/msa",
    "pii_encryption_key": "q2Xh0Vv8Yl3mS9cN1bR7tK4zWdA6eF5gJ0uP_iO-LyE",
    "pii_index_key": "PMbF8OVUA1z1IoTSRsRpZRGV5lUaozjNNOERLhTXXU8",
    "wechat_app_id": "wx0123456789abcdef",
    "wechat_app_secret": "a-real-app-secret",
    "metrics_token": "Tm9x4Lc7Vb2Qk8Wr1Zs5Hd0Jf3Gn6Py-Ea_uIo9Rt",
}
ZERO_KEY = base64.urlsafe_b64encode(bytes(32)).decode()


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


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"secret_key": "a" * 32}, "SECRET_KEY is low-entropy"),
        ({"secret_key": "x" * 48}, "SECRET_KEY is low-entropy"),
        ({"secret_key": "passwordpasswordpasswordpassword"}, "SECRET_KEY is low-entropy"),
        ({"secret_key": "0123456789abcdef" * 4}, "SECRET_KEY is low-entropy"),
        ({"pii_encryption_key": ZERO_KEY}, "PII_ENCRYPTION_KEY is not random"),
        ({"pii_index_key": base64.urlsafe_b64encode(b"i" * 32).decode()}, "PII_INDEX_KEY is not random"),
        ({"pii_index_key": SAFE_PRODUCTION["pii_encryption_key"]}, "must be different keys"),
        ({"cors_origins": ["*"]}, "CORS_ORIGINS"),
        ({"cors_origins": ["https://ok.example.cn", "null"]}, "CORS_ORIGINS"),
        ({"database_url": "sqlite+aiosqlite:////srv/msa.sqlite3"}, "DATABASE_URL is SQLite"),
        ({"access_token_ttl": "P365D"}, "ACCESS_TOKEN_TTL must be between PT1M and PT1H"),
        ({"access_token_ttl": "PT2H"}, "ACCESS_TOKEN_TTL"),
        ({"access_token_ttl": 5}, "ACCESS_TOKEN_TTL"),
        ({"refresh_token_ttl": "P365D"}, "REFRESH_TOKEN_TTL must be between PT1H and P30D"),
        ({"refresh_token_ttl": "PT5M"}, "REFRESH_TOKEN_TTL"),
        ({"login_failure_limit": 1_000_000}, "LOGIN_FAILURE_LIMIT must be between 3 and 20"),
        ({"login_failure_limit": 21}, "LOGIN_FAILURE_LIMIT"),
        ({"metrics_token": None}, "METRICS_TOKEN must be set"),
        ({"metrics_token": "metrics" * 6}, "METRICS_TOKEN is low-entropy"),
        ({"webhook_allow_http": True}, "WEBHOOK_ALLOW_HTTP"),
        ({"webhook_allow_private_targets": True}, "WEBHOOK_ALLOW_PRIVATE_TARGETS"),
        ({"webhook_lease": 5}, "WEBHOOK_LEASE must be longer than WEBHOOK_TIMEOUT_SECONDS"),
    ],
)
def test_production_refuses_weak_keys_wildcards_sqlite_and_limits_out_of_bounds(override, reason):
    with pytest.raises(ValidationError, match=reason):
        Settings(**{**SAFE_PRODUCTION, **override})


def test_production_names_every_problem_at_once():
    with pytest.raises(ValidationError) as refused:
        Settings(**{**SAFE_PRODUCTION, "secret_key": "a" * 32, "cors_origins": ["*"], "metrics_token": None})

    message = str(refused.value)
    assert "SECRET_KEY" in message and "CORS_ORIGINS" in message and "METRICS_TOKEN" in message


def test_keys_made_the_documented_way_are_accepted():
    for _ in range(200):
        Settings(
            **{
                **SAFE_PRODUCTION,
                "secret_key": secrets.token_urlsafe(32),
                "metrics_token": secrets.token_urlsafe(32),
                "pii_encryption_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
                "pii_index_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            }
        )
    Settings(**{**SAFE_PRODUCTION, "secret_key": secrets.token_hex(32)})


def test_development_and_tests_may_use_short_token_lifetimes():
    assert Settings(access_token_ttl=1, login_failure_limit=1000).access_token_ttl.total_seconds() == 1


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
