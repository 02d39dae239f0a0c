"""Fixtures: the app on each database, migrated and seeded once, one rolled-back transaction per test.

Every test that uses ``client`` or ``session`` runs on SQLite and on PostgreSQL 15. A test that
needs a database of its own (committing for real) gets a copy of one migrated and seeded once
per kind (``prepared_database``). Passwords are hashed at test cost (tests/support/passwords.py),
and the HTTP clients the apps build share one TLS context (tests/support/tls.py).
"""

import contextlib
import gc
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.config import get_settings
from app.core.db import create_engine, get_session, keep_dataset_facts, request_transaction
from app.main import create_app
from tests.support.database import DatabaseTemplates, selected_databases, settings_for_tests
from tests.support.passwords import hash_passwords_cheaply
from tests.support.postgres import ThrowawayPostgres
from tests.support.tls import share_the_default_tls_context

# Signed-in users (corp, staff, citizen, reader, seafarer), defined once for every test.
pytest_plugins = ("tests.support.signed_in",)

hash_passwords_cheaply()
share_the_default_tls_context()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "one_database(reason): run on the first selected database only (TEST_DATABASES), for tests "
        "in which the database plays no part; the reason says why",
    )


def pytest_collection_finish(session):
    """What exists once the tests are collected (the app's modules, schemas, test items) lives
    to the end of the run: kept out of the garbage collector's sweeps, which otherwise walk it
    again and again as tests allocate."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config, items):
    """A test marked ``one_database`` runs on the first selected database only (SQLite by default)."""
    first = selected_databases()[0]
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("one_database")
        if marker is not None and not marker.kwargs.get("reason"):
            raise pytest.UsageError(f"{item.nodeid}: one_database needs reason=… (why the database plays no part)")
        params = getattr(item, "callspec", None) and item.callspec.params
        on = params.get("database_kind") if params else None
        (dropped if marker is not None and on not in (None, first) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def postgres() -> ThrowawayPostgres:
    cluster = ThrowawayPostgres()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def database_factory(request, tmp_path_factory):
    """Creates a new, empty database of the given kind and returns its URL."""
    counter = iter(range(1_000_000))

    def create(kind: str) -> str:
        name = f"msa_test_{next(counter)}"
        if kind == "sqlite":
            return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / name}.sqlite3"
        return request.getfixturevalue("postgres").create_database(name)

    return create


@pytest.fixture(scope="session")
def prepared_database(request, database_factory, tmp_path_factory):
    """Creates a new database of the given kind, migrated and seeded, and returns its URL.

    Each is a copy of one prepared once per kind (as ``prepare_database`` does), so a test that
    needs a database of its own does not pay for the migrations and the seed data again.
    """
    templates = DatabaseTemplates(
        database_factory, lambda: request.getfixturevalue("postgres"), tmp_path_factory
    )
    return templates.copy


@pytest.fixture(scope="session", params=selected_databases())
def database_kind(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def settings(database_kind, prepared_database, data_dir):
    return settings_for_tests(prepared_database(database_kind), data_dir)


@pytest.fixture(scope="session")
async def engine(settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine) -> AsyncIterator[AsyncSession]:
    """A session inside an outer transaction that is rolled back after the test; like the app's
    own sessions (``create_sessionmaker``), it flushes only when the code does."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection, expire_on_commit=False, autoflush=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture
async def app(settings, engine, session):
    app = create_app(settings)

    async def test_session() -> AsyncIterator[AsyncSession]:
        async with request_transaction(session):
            keep_dataset_facts(session, app.state)
            yield session

    app.dependency_overrides[get_session] = test_session
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def two_workers(database_kind, prepared_database, tmp_path):
    """Two app instances on a database of their own, committing for real, as two API processes would.

    Yields the apps and a client per app (base path /api/v1, one client address for both).
    """
    settings = settings_for_tests(prepared_database(database_kind), tmp_path)
    apps = [create_app(settings), create_app(settings)]
    async with contextlib.AsyncExitStack() as stack:
        clients = []
        for worker in apps:
            await stack.enter_async_context(worker.router.lifespan_context(worker))
            transport = httpx.ASGITransport(app=worker, client=("198.51.100.7", 40000))
            clients.append(
                await stack.enter_async_context(
                    httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1")
                )
            )
        yield apps, clients


@pytest.fixture
def sqlite_settings(prepared_database, tmp_path):
    """A SQLite database of its own, migrated and seeded, that the test commits to for real
    (tests of SQLite's write lock)."""
    return settings_for_tests(prepared_database("sqlite"), tmp_path)


@pytest.fixture
def api(client):
    """The client with the contract's base path: ``await api.get("/agencies")``."""
    return _Prefixed(client, "/api/v1")


class _Prefixed:
    def __init__(self, client: httpx.AsyncClient, prefix: str) -> None:
        self._client = client
        self._prefix = prefix

    def __getattr__(self, method: str):
        call = getattr(self._client, method)
        return lambda path, *args, **kwargs: call(self._prefix + path, *args, **kwargs)


@pytest.fixture
def operator_env(database_kind, prepared_database, tmp_path, monkeypatch):
    """A prepared database of its own that ``python -m app.cli`` commands (which commit) reach
    through the environment, as an operator's shell would."""
    settings = settings_for_tests(prepared_database(database_kind), tmp_path)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()
