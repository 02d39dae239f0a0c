"""Databases the suite runs against: the embedded SQLite file and a throwaway PostgreSQL."""

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.config import Environment, Settings
from app.core.db import create_engine
from app.core.pii import PersonalDataCipher
from app.demo import load_demo_accounts
from app.main import create_app
from app.dataset import service as dataset_versions
from app.seed import prepare_dataset
from tests.support.servers import REPO_ROOT


def settings_for_tests(database_url: str, data_dir: Path) -> Settings:
    return Settings(
        app_env=Environment.test,
        database_url=database_url,
        data_dir=data_dir,
        log_level="WARNING",
        # Tests drive the webhook dispatcher themselves (tests/webhooks); none runs in the app.
        webhook_dispatcher="external",
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
        await dataset_versions.seed(session, prepare_dataset())
        await load_demo_accounts(session, PersonalDataCipher(*settings.pii_keys))
        await session.flush()


class DatabaseTemplates:
    """Migrated, seeded databases as copies of one prepared once per kind (and per PII keys, which
    the demo accounts are sealed with): a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on
    PostgreSQL. A copy is exactly what ``prepare_database`` would have left."""

    def __init__(self, create_empty, postgres, tmp_path_factory) -> None:
        self._create_empty = create_empty  # kind -> URL of a new, empty database
        self._postgres = postgres  # () -> the session's ThrowawayPostgres
        self._tmp = tmp_path_factory
        self._templates: dict[tuple, str] = {}
        self._copies = iter(range(1_000_000))

    def copy(self, kind: str) -> str:
        key = (kind, settings_for_tests("sqlite://", Path()).pii_keys)
        if key not in self._templates:
            settings = settings_for_tests(self._create_empty(kind), self._tmp.mktemp("template"))
            _prepare_elsewhere(settings)
            self._templates[key] = settings.database_url
        template = make_url(self._templates[key])
        name = f"msa_copy_{next(self._copies)}"
        if kind == "sqlite":
            path = self._tmp.mktemp("db") / f"{name}.sqlite3"
            source, target = sqlite3.connect(template.database), sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            return template.set(database=str(path)).render_as_string(hide_password=False)
        return self._postgres().create_database(name, template=template.database)


def _prepare_elsewhere(settings: Settings) -> None:
    """``prepare_database`` on its own event loop, callable from sync and async code alike."""

    async def prepare() -> None:
        engine = create_engine(settings)
        try:
            await prepare_database(engine, settings)
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, prepare()).result()


@contextlib.asynccontextmanager
async def serving(settings: Settings, *, empty: bool = False) -> AsyncIterator[httpx.AsyncClient]:
    """The API in this process, on a database of its own that it commits to for real
    (``empty``: migrate and seed it first); a client with the base path /api/v1."""
    async with serving_app(settings, empty=empty) as (_, api):
        yield api


@contextlib.asynccontextmanager
async def serving_app(
    settings: Settings, *, empty: bool = False
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """``serving``, and the app itself (for tests that watch what it does with its database)."""
    if empty:
        engine = create_engine(settings)
        await prepare_database(engine, settings)
        await engine.dispose()
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1", timeout=30) as api,
    ):
        yield app, api


def sqlite_path(settings: Settings) -> str:
    return make_url(settings.sqlalchemy_url).database


@contextlib.contextmanager
def write_lock_held(settings: Settings) -> Iterator[sqlite3.Connection]:
    """Another process holding SQLite's write lock (a long import, a backup tool, a stuck writer)."""
    other = sqlite3.connect(sqlite_path(settings), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
    finally:
        other.rollback()
        other.close()
