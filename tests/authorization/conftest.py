"""One app and one world of objects per module; every attempt in it leaves no trace.

The world (people, applications, materials, certificates…) is built once, inside an outer
transaction that is rolled back when the module ends. Each attempt runs inside a savepoint
that is rolled back right after, so a successful DELETE or decision does not change what the
next caller finds. Every request gets a session of its own on that one connection, so nothing
one request loaded is still cached for the next.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.core.db import get_session, request_transaction
from app.main import create_app
from tests.authorization.world import World, build_world


@dataclass
class Shared:
    connection: AsyncConnection
    client: httpx.AsyncClient
    api: "_Api"

    def session(self) -> AsyncSession:
        """A session of its own on the module's connection, as each request gets."""
        return _session_on(self.connection)

    async def attempt(self, method: str, url: str, **request) -> httpx.Response:
        """One request whose effects are rolled back once it has answered."""
        savepoint = await self.connection.begin_nested()
        try:
            return await self.client.request(method, url, **request)
        finally:
            await savepoint.rollback()


def _session_on(connection: AsyncConnection) -> AsyncSession:
    return AsyncSession(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")


class _Api:
    """``await api.post("/applications", ...)`` under the contract's base path (as ``api`` in tests/)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    def __getattr__(self, method: str):
        call = getattr(self._client, method)
        return lambda path, *args, **kwargs: call("/api/v1" + path, *args, **kwargs)


@pytest.fixture(scope="module")
async def shared(settings, engine) -> AsyncIterator[Shared]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        # A dozen accounts sign in and every sign-in route is tried by several callers, all
        # from one address: the per-address limit (tested in tests/auth) would stop the world.
        app = create_app(settings.model_copy(update={"auth_requests_per_minute": 10_000}))

        async def session_of_this_request() -> AsyncIterator[AsyncSession]:
            async with _session_on(connection) as session, request_transaction(session):
                yield session

        app.dependency_overrides[get_session] = session_of_this_request
        try:
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                    yield Shared(connection, client, _Api(client))
        finally:
            await transaction.rollback()


@pytest.fixture(scope="module")
async def world(shared, settings) -> World:
    return await build_world(shared.api, shared.session, settings)
