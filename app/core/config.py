"""Settings, read once from the environment (and an optional `.env` file).

Every variable is documented in the README; the defaults give the embedded
development setup (SQLite file and local files under ``DATA_DIR``, fake adapters,
demo data). Production refuses to start on any of those defaults.
"""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"


class Environment(StrEnum):
    dev = "dev"
    test = "test"
    production = "production"


AdapterKind = Literal["fake", "real"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_env: Environment = Environment.dev
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default is a SQLite file under DATA_DIR.",
    )
    db_pool_size: Annotated[int, Field(ge=1, le=200)] = 10
    db_echo: bool = False

    storage_backend: Literal["local"] = "local"

    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    wechat_adapter: AdapterKind = "fake"
    face_adapter: AdapterKind = "fake"
    demo_data: bool = True

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    docs_enabled: bool = True

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> "Settings":
        if self.app_env is not Environment.production:
            return self
        problems = []
        if self.secret_key.get_secret_value() == DEV_SECRET_KEY or len(self.secret_key) < 32:
            problems.append("SECRET_KEY is the development default or shorter than 32 characters")
        if self.wechat_adapter == "fake":
            problems.append("WECHAT_ADAPTER=fake is for development only")
        if self.face_adapter == "fake":
            problems.append("FACE_ADAPTER=fake is for development only")
        if self.demo_data:
            problems.append("DEMO_DATA=true would create demo accounts with a published password")
        if self.database_url is None:
            problems.append("DATABASE_URL must name the production database")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'msa.sqlite3').resolve()}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


@lru_cache
def get_settings() -> Settings:
    return Settings()
