"""Databases the suite runs against: the embedded SQLite file and a throwaway PostgreSQL."""

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.config import Environment, Settings
from app.core.pii import PersonalDataCipher
from app.demo import load_demo_accounts
from app.seed import load_seed_data
from tests.support.servers import REPO_ROOT


def settings_for_tests(database_url: str, data_dir: Path) -> Settings:
    return Settings(
        app_env=Environment.test, database_url=database_url, data_dir=data_dir, log_level="WARNING"
    )


def alembic_config(engine_connection=None) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    if engine_connection is not None:
        config.attributes["connection"] = engine_connection
    return config


async def run_alembic(engine: AsyncEngine, operation: str, revision: str) -> None:
    """``alembic upgrade|downgrade <revision>`` on ``engine``'s database."""

    def _in_sync(connection) -> None:
        getattr(command, operation)(alembic_config(connection), revision)

    async with engine.begin() as connection:
        await connection.run_sync(_in_sync)


def selected_databases() -> list[str]:
    """`TEST_DATABASES=sqlite` (or `postgresql`) narrows the run; both by default."""
    return os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",")


async def prepare_database(engine: AsyncEngine, settings: Settings) -> None:
    """Migrate, then load the shipped data and the demo accounts, as `make run` does."""
    await run_alembic(engine, "upgrade", "head")
    async with engine.begin() as connection:
        session = AsyncSession(bind=connection)
        await load_seed_data(session)
        await load_demo_accounts(session, PersonalDataCipher(*settings.pii_keys))
        await session.flush()
