"""Settings, read once from the environment (and an optional `.env` file).

Every variable is documented in the README; the defaults give the embedded
development setup (SQLite file and local files under ``DATA_DIR``, fake adapters,
demo data). Production refuses to start on any of those defaults.
"""

import base64
import binascii
import math
import zlib
from collections import Counter
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from app.core.client_address import IPNetwork, trusted_proxies

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"
# Development-only personal-data keys (base64url, 32 bytes each); production must set its own.
DEV_PII_ENCRYPTION_KEY = "ZGV2LW9ubHktcGlpLWVuY3J5cHRpb24ta2V5LTMyYiE"
DEV_PII_INDEX_KEY = "ZGV2LW9ubHktcGlpLWJsaW5kLWluZGV4LWtleS0zMmI"


class Environment(StrEnum):
    dev = "dev"
    test = "test"
    production = "production"


AdapterKind = Literal["fake", "real"]
MaterialType = Literal["jpeg", "png", "pdf", "ofd", "doc", "docx", "xls", "xlsx"]
MIB = 1024 * 1024
MATERIAL_MAX_BYTES_CEILING = 1024 * MIB
# Every request body but a material upload (JSON): refused with 413 past this, read or not.
REQUEST_BODY_MAX_BYTES = 1 * MIB

# What production accepts (development and tests may go outside, e.g. to let a token expire).
PRODUCTION_ACCESS_TOKEN_TTL = (timedelta(minutes=1), timedelta(hours=1))
PRODUCTION_REFRESH_TOKEN_TTL = (timedelta(hours=1), timedelta(days=30))
PRODUCTION_LOGIN_FAILURE_LIMIT = (3, 20)
# Estimated by character frequencies: token_urlsafe(32) gives ~180, "a" * 32 gives 0.
MIN_SECRET_BITS = 120
# 32 random bytes have ~28 distinct values; fewer than 16 is a pattern, not a key.
MIN_DISTINCT_KEY_BYTES = 16


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_env: Environment = Environment.dev
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="proxies (addresses or CIDR networks, comma-separated) whose X-Forwarded-For "
        "entries are believed; the client is the right-most entry none of them wrote",
    )
    data_dir: Path = Path("var")
    dataset_dir: Path | None = Field(
        default=None,
        description="the authority's own dataset files (as `dataset-export` writes them), which the seed "
        "command loads instead of the shipped ones",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default is a SQLite file under DATA_DIR.",
    )
    migration_database_url: str | None = Field(
        default=None,
        description="PostgreSQL: the schema owner's URL, for migrations only; the API then runs as "
        "DATABASE_URL's role with row access alone (it cannot drop the audit trail's triggers).",
    )
    db_pool_size: Annotated[int, Field(ge=1, le=200)] = 10
    db_echo: bool = False

    storage_backend: Literal["local", "s3"] = "local"
    s3_endpoint_url: str | None = Field(default=None, description="omit for AWS itself")
    s3_region: str = "us-east-1"
    s3_bucket: str = "msa-one-stop"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_part_size: Annotated[int, Field(ge=5 * MIB)] = 8 * MIB
    s3_presign_downloads: bool = False
    s3_presign_ttl: timedelta = timedelta(minutes=5)

    # The upload route's HTTP-level ceiling is MATERIAL_MAX_BYTES_CEILING; this is the real cap.
    material_max_bytes: Annotated[int, Field(ge=1, le=MATERIAL_MAX_BYTES_CEILING)] = 20 * MIB
    material_quota_files: Annotated[int, Field(ge=1)] = 200
    material_quota_bytes: Annotated[int, Field(ge=1)] = 500 * MIB
    material_types: list[MaterialType] = Field(default_factory=lambda: list(MaterialType.__args__))
    # A partial upload (temporary file, unfinished multipart upload) of a process that died is
    # removed once nobody has written to it for this long: every worker sweeps at start and
    # then at this interval (app/integrations/storage/sweeper.py). Longer than any real upload
    # takes, so a sweep never hits another worker's upload in progress.
    partial_upload_max_age: timedelta = timedelta(hours=1)

    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    pii_encryption_key: SecretStr = SecretStr(DEV_PII_ENCRYPTION_KEY)
    pii_index_key: SecretStr = SecretStr(DEV_PII_INDEX_KEY)
    token_issuer: str = "msa-one-stop"
    token_audience: str = "msa-one-stop-api"
    access_token_ttl: timedelta = timedelta(minutes=15)
    refresh_token_ttl: timedelta = timedelta(days=14)
    binding_ticket_ttl: timedelta = timedelta(minutes=10)
    face_session_ttl: timedelta = timedelta(minutes=5)
    # Access tokens of machine clients (OAuth 2.0 client credentials): short, no refresh token.
    client_token_ttl: timedelta = timedelta(minutes=10)

    login_failure_limit: Annotated[int, Field(ge=1)] = 5
    login_failure_window: timedelta = timedelta(minutes=15)
    login_lockout: timedelta = timedelta(minutes=30)
    # 等保 level 3 controls of the accounts that need a second factor (officers, staff, admins).
    second_factor_ticket_ttl: timedelta = timedelta(minutes=5)
    session_idle_timeout: timedelta = timedelta(minutes=15)
    password_max_age: timedelta = timedelta(days=90)
    # 即将超期: an open application due within this many working days (0: due today only).
    deadline_warning_working_days: Annotated[int, Field(ge=0, le=60)] = 3
    # Per client address and minute, for sign-in, face-session and registration calls.
    auth_requests_per_minute: Annotated[int, Field(ge=1)] = 30
    # Per client address and minute, for 办件查询 and 证书查询.
    public_queries_per_minute: Annotated[int, Field(ge=1)] = 10
    # Wrong answers (unknown number, wrong phone or name) one address may give about one number
    # a day; then that address is refused for that number. Others' failures never count.
    public_queries_per_number_per_day: Annotated[int, Field(ge=1)] = 10
    # 导出我的数据 builds a large document: a few per account and hour are plenty.
    data_exports_per_hour: Annotated[int, Field(ge=1)] = 5
    # 回访整改 of a 不满意/非常不满意 rating: due this many working days after the rating.
    follow_up_working_days: Annotated[int, Field(ge=1, le=60)] = 15

    wechat_adapter: AdapterKind = "fake"
    wechat_app_id: str = ""
    wechat_app_secret: SecretStr = SecretStr("")
    wechat_api_base: str = "https://api.weixin.qq.com"
    wechat_timeout_seconds: float = 5.0
    wechat_status_template_id: str = Field(
        default="", description="subscribe-message template for status changes (thing1, phrase2, time3)"
    )
    face_adapter: AdapterKind = "fake"
    # The authority's certificate system: "push" (production) stores what its registry pushes
    # (PUT /registry/certificates/…); "fake" hands every new personal user demo seafarer
    # certificates; "none" connects nothing, so 我的证照 holds only documents issued here.
    certificate_registry: Literal["push", "fake", "none"] = "fake"
    demo_data: bool = True

    # Signed event webhooks (app/webhooks): the dispatcher runs in every web worker ("embedded")
    # or as its own process, `python -m app.cli webhooks-dispatch` ("external").
    webhook_dispatcher: Literal["embedded", "external"] = "embedded"
    # http:// subscription URLs and loopback/private/link-local targets: embedded and development
    # setups only; production refuses to start with either.
    webhook_allow_http: bool = False
    webhook_allow_private_targets: bool = False
    webhook_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 10.0
    webhook_poll_seconds: Annotated[float, Field(gt=0, le=60)] = 1.0
    # A claimed delivery is another dispatcher's again after this long (a killed one's lease).
    webhook_lease: timedelta = timedelta(seconds=60)

    # How stale public reference data may be after an operator changes it.
    read_cache_check_seconds: Annotated[float, Field(ge=0)] = 2.0

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_token: SecretStr | None = Field(
        default=None,
        description="when set, /metrics answers only `Authorization: Bearer <token>`",
    )
    docs_enabled: bool | None = Field(
        default=None, description="serve /docs, /redoc and /openapi.json; default: on except in production"
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="browser origins allowed to call the API (the mini program needs none)",
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _are_proxy_addresses(cls, text: str) -> str:
        trusted_proxies(text)
        return text

    @property
    def trusted_proxies(self) -> tuple[IPNetwork, ...]:
        return trusted_proxies(self.forwarded_allow_ips)

    @field_validator("pii_encryption_key", "pii_index_key")
    @classmethod
    def _is_a_32_byte_key(cls, key: SecretStr) -> SecretStr:
        try:
            raw = _decode_key(key)
        except (binascii.Error, ValueError) as error:
            raise ValueError("must be base64url") from error
        if len(raw) != 32:
            raise ValueError("must decode to exactly 32 bytes")
        return key

    @property
    def pii_keys(self) -> tuple[bytes, bytes]:
        """(encryption key, blind-index key)."""
        return _decode_key(self.pii_encryption_key), _decode_key(self.pii_index_key)

    @model_validator(mode="after")
    def _lease_outlasts_a_post(self) -> "Settings":
        if self.webhook_lease.total_seconds() <= self.webhook_timeout_seconds:
            raise ValueError("WEBHOOK_LEASE must be longer than WEBHOOK_TIMEOUT_SECONDS")
        return self

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> "Settings":
        if self.app_env is not Environment.production:
            return self
        problems = [*self._secret_problems(), *self._bound_problems()]
        if (self.wechat_adapter == "real" or self.face_adapter == "real") and not (
            self.wechat_app_id and self.wechat_app_secret.get_secret_value()
        ):
            problems.append("WECHAT_APP_ID and WECHAT_APP_SECRET are required by the real WeChat adapters")
        if self.wechat_adapter == "fake":
            problems.append("WECHAT_ADAPTER=fake is for development only")
        if self.face_adapter == "fake":
            problems.append("FACE_ADAPTER=fake is for development only")
        if self.certificate_registry == "fake":
            problems.append("CERTIFICATE_REGISTRY=fake would issue demo certificates to every new user")
        if self.demo_data:
            problems.append("DEMO_DATA=true would create demo accounts with a published password")
        if self.webhook_allow_http or self.webhook_allow_private_targets:
            problems.append("WEBHOOK_ALLOW_HTTP and WEBHOOK_ALLOW_PRIVATE_TARGETS are for development only")
        if self.database_url is None:
            problems.append("DATABASE_URL must name the production database")
        elif make_url(self.database_url).get_backend_name() == "sqlite":
            problems.append("DATABASE_URL is SQLite, which is for development only")
        if any(origin.strip() in ("*", "null") for origin in self.cors_origins):
            problems.append("CORS_ORIGINS must list origins, not '*' or 'null'")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    def _secret_problems(self) -> list[str]:
        problems = []
        secret_key = self.secret_key.get_secret_value()
        if secret_key == DEV_SECRET_KEY or len(secret_key) < 32:
            problems.append("SECRET_KEY is the development default or shorter than 32 characters")
        elif _looks_low_entropy(secret_key):
            problems.append(f"SECRET_KEY is low-entropy (repeated or few distinct characters); {_GENERATE}")
        encryption_key, index_key = self.pii_keys
        for name, key, dev_default in (
            ("PII_ENCRYPTION_KEY", self.pii_encryption_key, DEV_PII_ENCRYPTION_KEY),
            ("PII_INDEX_KEY", self.pii_index_key, DEV_PII_INDEX_KEY),
        ):
            if key.get_secret_value() == dev_default:
                problems.append(f"{name} is the development default")
            elif len(set(_decode_key(key))) < MIN_DISTINCT_KEY_BYTES:
                problems.append(f"{name} is not random (all zeros or repeated bytes)")
        if encryption_key == index_key:
            problems.append("PII_ENCRYPTION_KEY and PII_INDEX_KEY must be different keys")
        if self.metrics_token is None:
            problems.append("METRICS_TOKEN must be set, or anyone who reaches /metrics reads it")
        elif _looks_low_entropy(self.metrics_token.get_secret_value()):
            problems.append(f"METRICS_TOKEN is low-entropy; {_GENERATE}")
        return problems

    def _bound_problems(self) -> list[str]:
        problems = []
        for name, value, low, high in (
            ("ACCESS_TOKEN_TTL", self.access_token_ttl, *PRODUCTION_ACCESS_TOKEN_TTL),
            ("REFRESH_TOKEN_TTL", self.refresh_token_ttl, *PRODUCTION_REFRESH_TOKEN_TTL),
        ):
            if not low <= value <= high:
                problems.append(f"{name} must be between {_duration(low)} and {_duration(high)}")
        low, high = PRODUCTION_LOGIN_FAILURE_LIMIT
        if not low <= self.login_failure_limit <= high:
            problems.append(f"LOGIN_FAILURE_LIMIT must be between {low} and {high}")
        return problems

    @property
    def docs_served(self) -> bool:
        if self.docs_enabled is not None:
            return self.docs_enabled
        return self.app_env != Environment.production

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'msa.sqlite3').resolve()}"

    @property
    def migration_settings(self) -> "Settings":
        """These settings as the schema owner sees them (migrations, granting)."""
        if self.migration_database_url is None:
            return self
        return self.model_copy(update={"database_url": self.migration_database_url})

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


_GENERATE = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def _looks_low_entropy(text: str) -> bool:
    """A cheap estimate, enough to catch "a"*32, a repeated phrase or a short hex string: fewer
    than MIN_SECRET_BITS by the character frequencies, or text that compresses well."""
    counts = Counter(text)
    per_character = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    compressed = len(zlib.compress(text.encode(), 9))
    return per_character * len(text) < MIN_SECRET_BITS or compressed < 0.75 * len(text.encode())


def _duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds % 86400 == 0:
        return f"P{seconds // 86400}D"
    if seconds % 3600 == 0:
        return f"PT{seconds // 3600}H"
    return f"PT{seconds // 60}M"


def _decode_key(key: SecretStr) -> bytes:
    text = key.get_secret_value()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache
def get_settings() -> Settings:
    return Settings()
