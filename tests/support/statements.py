"""What the app sends to the database, counted as it goes."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import asyncpg
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@contextmanager
def statements_sent(
    engine: AsyncEngine, *, counted: Callable[[], bool] = lambda: True
) -> Iterator[list[str]]:
    """Every statement sent on ``engine`` while inside (transaction control aside), when
    ``counted()``: those SQLAlchemy runs (its cursor events) and the reads ``read_rows`` sends
    straight to asyncpg on PostgreSQL (``app.core.driver_reads``), which SQLAlchemy never sees.
    SQLAlchemy's own asyncpg adapter runs prepared statements, never ``Connection.fetch``."""
    seen: list[str] = []

    def record(_connection, _cursor, statement: str, *_rest) -> None:
        if counted():
            seen.append(statement)

    driver_fetch = asyncpg.Connection.fetch

    async def fetch(connection: asyncpg.Connection, query: str, *arguments, **options):
        if counted():
            seen.append(query)
        return await driver_fetch(connection, query, *arguments, **options)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        with mock.patch.object(asyncpg.Connection, "fetch", fetch):
            yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
