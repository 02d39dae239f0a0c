"""Database engine, declarative base and the one-commit-per-request session."""

import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Request
from sqlalchemy import JSON, DateTime, MetaData, Select, String, TypeDecorator, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InvalidatePoolError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm.exc import StaleDataError
from uuid6 import uuid7

from app.core.config import Settings
from app.core.driver_reads import ReadRow, driver_read, sqlalchemy_rows
from app.core.errors import AppError, DatabaseUnavailable

# Stable constraint names, so migrations can drop and alter them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# JSON documents (guides, form schemas): JSONB where PostgreSQL offers it.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both databases (SQLite hands back naive values otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """Opaque, unguessable-enough, time-ordered ids (UUIDv7) for rows that appear in URLs."""
    return str(uuid7())


IdColumn = String(36)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def upsert_statement(session: AsyncSession, model: type):
    """``INSERT`` with ``on_conflict_do_update``/``do_nothing`` for the session's database."""
    return _INSERTS[session.get_bind().dialect.name](model)


def create_engine(settings: Settings) -> AsyncEngine:
    url = make_url(settings.sqlalchemy_url)
    if url.get_backend_name() == "sqlite":
        if url.database:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, echo=settings.db_echo)
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        event.listen(engine.sync_engine, "after_cursor_execute", _sqlite_statement_done)
        event.listen(engine.sync_engine, "handle_error", _sqlite_lost_snapshot, retval=True)
    else:
        engine = create_async_engine(
            url, echo=settings.db_echo, pool_size=settings.db_pool_size, max_overflow=settings.db_pool_size
        )
        event.listen(engine.sync_engine.pool, "checkin", _note_checkin)
        event.listen(engine.sync_engine.pool, "checkout", _ping_if_idle(engine.dialect))
    event.listen(engine.sync_engine, "do_connect", _connect_or_unavailable)
    return engine


# A pooled connection that died with a database restart must be replaced before a request uses
# it, so that the service recovers by itself once the database is back. One that sat idle is
# pinged on checkout; one in steady use has just proved itself, and pinging it too
# (``pool_pre_ping``) would cost every request a round trip. A connection that dies in use fails
# its statement, which invalidates every pooled connection as old as it.
PING_WHEN_IDLE_SECONDS = 5.0
_CHECKED_IN_AT = "checked_in_at"


def _note_checkin(_dbapi_connection, record) -> None:
    record.info[_CHECKED_IN_AT] = time.monotonic()


def _ping_if_idle(dialect):
    def ping(dbapi_connection, record, _proxy) -> None:
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < PING_WHEN_IDLE_SECONDS:
            return  # new, or in steady use
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            # The pool replaces this connection and every other one as old, then checks out anew.
            raise InvalidatePoolError() from error

    return ping


def _connect_or_unavailable(dialect, _record, cargs, cparams):
    """Open a connection; a database that cannot be reached is a 503, whatever the driver raised
    (asyncpg lets OSError and its own errors through unwrapped)."""
    try:
        return dialect.connect(*cargs, **cparams)
    except Exception as error:
        raise DatabaseUnavailable() from error


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The driver's own implicit transactions break SAVEPOINT and transactional DDL;
    # SQLAlchemy's documented recipe turns them off and emits BEGIN itself (_sqlite_begin).
    dbapi_connection.isolation_level = None
    # WAL lets readers proceed while a request writes; SQLite leaves FKs off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql(connection.get_execution_options().get(_SQLITE_BEGIN, "BEGIN"))
    # After the BEGIN itself (which went through _sqlite_statement_done but reads nothing).
    connection.info[_SNAPSHOT_HELD] = False


def _sqlite_statement_done(connection, _cursor, _statement, _parameters, _context, _executemany) -> None:
    # A deferred transaction's first statement fixes the snapshot it reads from; from then on
    # SQLite will not wait for the write lock (_sqlite_lost_snapshot).
    connection.info[_SNAPSHOT_HELD] = True


# How SQLite transactions begin, and why request transactions begin in two ways.
#
# A deferred SQLite transaction (plain BEGIN) reads from a snapshot and takes the write lock only
# at its first write. In WAL mode it reads alongside a writer, but its first write fails at once,
# without waiting for busy_timeout, if another connection committed since it began reading
# (SQLITE_BUSY_SNAPSHOT) or holds the write lock right then (SQLITE_BUSY: SQLite never waits to
# upgrade a read transaction, since two readers waiting for each other would deadlock). A
# transaction that begins IMMEDIATE takes the write lock at once, queueing for it up to
# busy_timeout, and then cannot lose that race; but only one such transaction runs at a time.
#
# Requests that change things (POST, PUT, DELETE …) therefore begin IMMEDIATE. GET and HEAD
# requests begin deferred, so a read never queues behind a writer, although some do write: audit
# records of reads, a privileged session's last activity (at most once a minute) and its idle
# revocation, rate-limit counters. When such a write loses the race, the error is marked here
# (LostReadSnapshot), request_transaction rolls the request back and raises RunAgainWithWriteLock,
# and the middleware (app.core.middleware) runs the whole request again, beginning IMMEDIATE this
# time. Nothing was sent to the client yet: request transactions end before the response starts.
# Other sessions (background work, the read cache) begin deferred as ever; commands and the
# webhook dispatcher ask for IMMEDIATE themselves. PostgreSQL ignores all of this.
_SQLITE_BEGIN = "sqlite_begin"
_READ_REQUEST = "read_request"
_SNAPSHOT_HELD = "sqlite_snapshot_held"
_SQLITE_BUSY_SNAPSHOT = 517  # SQLITE_BUSY | (2 << 8); sqlite3 reports extended codes


class LostReadSnapshot(OperationalError):
    """A read request's deferred SQLite transaction could not begin to write (see above).

    Still an OperationalError, so any code that handles database errors handles it as before.
    """


def _sqlite_lost_snapshot(context) -> OperationalError | None:
    connection = context.connection
    if connection is None or not connection.get_execution_options().get(_READ_REQUEST):
        return None
    code = getattr(context.original_exception, "sqlite_errorcode", None)
    upgrade_refused = code == sqlite3.SQLITE_BUSY and connection.info.get(_SNAPSHOT_HELD, False)
    if code != _SQLITE_BUSY_SNAPSHOT and not upgrade_refused:
        # Includes SQLITE_BUSY on a first statement that writes: that one did wait busy_timeout
        # for the lock, as an IMMEDIATE transaction would, and is the 503 service.busy it always was.
        return None
    return LostReadSnapshot(context.statement, context.parameters, context.original_exception)


class RunAgainWithWriteLock(Exception):
    """The request must be run again from the start, its transaction beginning IMMEDIATE.

    Deliberately neither an AppError nor a database error: no exception handler of the app may
    turn it into a response; it must reach app.core.middleware, which runs the request again.
    """


# The request's ASGI scope carries this on its second run: begin IMMEDIATE whatever the method.
WRITE_LOCK_ON_BEGIN = "msa.write_lock_on_begin"
# Requests that begin deferred on SQLite (and may be run again, having no body to replay).
READ_METHODS = frozenset({"GET", "HEAD"})


def _lost_read_snapshot(error: BaseException) -> bool:
    """Whether ``error`` is, or was raised because of, a LostReadSnapshot (e.g. a 409 made of it)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        if isinstance(current, LostReadSnapshot):
            return True
        seen.add(id(current))
        pending += [current.__cause__, current.__context__]
    return False


def create_sessionmaker(
    engine: AsyncEngine, *, lock_on_begin: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions on ``engine``; with ``lock_on_begin`` their SQLite transactions begin IMMEDIATE."""
    if lock_on_begin:
        engine = engine.execution_options(**{_SQLITE_BEGIN: "BEGIN IMMEDIATE"})
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def install_sessionmakers(state, engine: AsyncEngine) -> None:
    """The app's sessionmakers, on ``state`` (``app.state``): ``sessionmaker`` for work outside
    requests, and the two that ``get_session`` chooses between for requests. ``reads_may_run_again``:
    only on SQLite can a read lose the race to write (app.core.middleware runs it again)."""
    state.sessionmaker = create_sessionmaker(engine)
    state.request_sessionmaker = create_sessionmaker(engine, lock_on_begin=True)
    state.read_request_sessionmaker = create_sessionmaker(engine.execution_options(**{_READ_REQUEST: True}))
    state.reads_may_run_again = engine.dialect.name == "sqlite"


_KEPT = "kept_rows"
_Row = TypeVar("_Row")


def kept(session: AsyncSession, row: _Row) -> _Row:
    """``row``, held for as long as ``session`` lives. SQLAlchemy's identity map holds rows weakly:
    a reference row read, let go and read again in one request (a submit's rules read the item's
    form, its answer reads it again) would cost a second query; held, the second ``session.get``
    is answered from memory."""
    if row is not None:
        session.info.setdefault(_KEPT, []).append(row)
    return row


async def read_rows(session: AsyncSession, statement: Select, values: Mapping[str, Any]) -> Sequence[ReadRow]:
    """The rows of a read built once with named bind parameters (module-level or cached per
    shape), bound to ``values``, on the request's own connection and transaction. For the reads
    every request makes (the caller's session, a page of 我的办件 or of a queue): building a
    statement and running it through the ORM cost about three times the database work
    (bench/writes/layers.py). On PostgreSQL it goes straight to the driver, compiled once
    (``app.core.driver_reads``). Plain rows, no ORM objects. Like every statement of the app's
    sessions (they never autoflush), it sees what the request changed once that was flushed
    (``flush_or_busy``)."""
    connection = await session.connection()
    driven = driver_read(statement, connection.dialect)
    if driven is not None:
        return await driven.rows(connection, values)
    return await sqlalchemy_rows(connection, statement, values)


_MEMO = "request_memo"


def request_memo(session: AsyncSession) -> dict:
    """What the request on ``session`` read and may need again (its answer shows what its checks
    read). A request that changes what it remembered forgets it; a new request on the session
    starts with nothing (``request_transaction``: tests run their requests on one session)."""
    return session.info.setdefault(_MEMO, {})


# The app's keeper of what requests learn of the dataset (``app.core.read_cache.ReadCache``),
# put on every request's session by ``get_session``.
DATASET_KEEPER = "dataset_keeper"
_T = TypeVar("_T")


class DatasetKeeper(Protocol):
    async def kept(
        self, session: AsyncSession, key: Hashable, *, datasets: tuple[str, ...], load: Callable[[], Awaitable[_T]]
    ) -> _T: ...


async def dataset_fact(
    session: AsyncSession, key: Hashable, *, datasets: tuple[str, ...], load: Callable[[], Awaitable[_T]]
) -> _T:
    """What ``load`` reads of the dataset (the item's form, an agency, whether a unit handles an
    item). In a request the app keeps it until one of ``datasets`` has a new version: every
    submit needs the same few facts. Elsewhere it is simply read. ``None`` is never kept."""
    keeper: DatasetKeeper | None = session.info.get(DATASET_KEEPER)
    if keeper is None:
        return await load()
    return await keeper.kept(session, key, datasets=datasets, load=load)


async def reference_row(session: AsyncSession, model: type[_Row], key: Any, *, dataset: str) -> _Row | None:
    """A row of the dataset by primary key, as ``dataset_fact``. A kept row is detached: it
    belongs to no request, and no request's commit expires it. A row the session holds already
    is that session's business (it may be changing it) and is answered as it is."""
    if session.identity_map.get(session.sync_session.identity_key(model, key)) is not None:
        return await session.get(model, key)

    async def load() -> _Row | None:
        row = await session.get(model, key)
        if row is None or DATASET_KEEPER not in session.info:
            return kept(session, row)
        session.expunge(row)
        return row

    return await dataset_fact(session, (model, key), datasets=(dataset,), load=load)


Callback = Callable[[], Awaitable[None]]
_AFTER_COMMIT, _AFTER_ROLLBACK = "after_commit", "after_rollback"
log = logging.getLogger(__name__)


async def flush_or_busy(session: AsyncSession, busy: type[AppError]) -> None:
    """Flush a versioned row, turning a lost race for it (another change landed first, or the
    row was locked) into ``busy``, a clean 409; a lost database stays a 503."""
    try:
        await session.flush()
    except (StaleDataError, OperationalError) as error:
        if getattr(error, "connection_invalidated", False):
            raise
        raise busy() from error


def after_commit(session: AsyncSession, callback: Callback) -> None:
    """Run ``callback`` once the request's transaction is committed (e.g. delete a file)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def after_rollback(session: AsyncSession, callback: Callback) -> None:
    """Run ``callback`` if the request's transaction is rolled back (e.g. remove an upload)."""
    session.info.setdefault(_AFTER_ROLLBACK, []).append(callback)


async def _finish(session: AsyncSession, *, commit: bool) -> None:
    await (session.commit() if commit else session.rollback())
    callbacks = session.info.pop(_AFTER_COMMIT if commit else _AFTER_ROLLBACK, [])
    session.info.pop(_AFTER_ROLLBACK if commit else _AFTER_COMMIT, None)
    for callback in callbacks:
        try:
            await callback()
        except Exception:
            # The outcome is decided; a failed clean-up is logged, never turned into an error.
            log.exception("after-transaction callback failed")


# A callback a protected route leaves on its session (app.auth.deps): called with the error if
# the request is refused, once its own transaction is over (app.audit.refusals audits it).
ON_REFUSAL = "on_refusal"


@asynccontextmanager
async def request_transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Commit when the request succeeds, roll back when it fails.

    A GET or HEAD whose write lost the race for SQLite's write lock (``LostReadSnapshot``, see
    above) is rolled back, whatever became of the error on its way here, and ends in
    ``RunAgainWithWriteLock``: no refusal is recorded, since the request is not over.
    """
    # Left by an earlier request on a shared (test) session.
    session.info.pop(ON_REFUSAL, None)
    session.info.pop(_MEMO, None)
    try:
        yield session
    except BaseException as error:
        if _lost_read_snapshot(error):
            await _finish(session, commit=False)
            raise RunAgainWithWriteLock() from error
        if not isinstance(error, AppError):
            await _finish(session, commit=False)
            raise
        # Some refusals must keep what was recorded on the way (a failed login counts).
        await _finish_or_run_again(session, commit=error.keep_changes)
        on_refusal = session.info.pop(ON_REFUSAL, None)
        if on_refusal is not None:
            await on_refusal(error)
        raise
    else:
        await _finish_or_run_again(session, commit=True)


async def _finish_or_run_again(session: AsyncSession, *, commit: bool) -> None:
    """``_finish``; a commit whose writes (flushed only now) lost the race is rolled back instead."""
    try:
        await _finish(session, commit=commit)
    except Exception as error:
        if not (commit and _lost_read_snapshot(error)):
            raise
        await _finish(session, commit=False)
        raise RunAgainWithWriteLock() from error


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed before the response is sent, rolled back on error
    (an upload commits once more before its file streams: ``release_before_waiting``).

    On SQLite a GET or HEAD begins deferred and reads alongside a writer; it begins IMMEDIATE when
    it runs again because its first run lost the race to write (see ``_SQLITE_BEGIN``)."""
    state = request.app.state
    if request.method in READ_METHODS and not request.scope.get(WRITE_LOCK_ON_BEGIN):
        sessionmaker: async_sessionmaker[AsyncSession] = state.read_request_sessionmaker
    else:
        sessionmaker = state.request_sessionmaker
    async with sessionmaker() as session, request_transaction(session):
        keep_dataset_facts(session, state)
        yield session


def keep_dataset_facts(session: AsyncSession, state) -> None:
    """Let ``dataset_fact`` on ``session`` use the app's read cache (``app.state``), once it has one."""
    keeper = getattr(state, "read_cache", None)
    if keeper is not None:
        session.info[DATASET_KEEPER] = keeper


async def in_transaction(
    sessionmaker: async_sessionmaker[AsyncSession], work: Callable[[AsyncSession], Awaitable]
):
    """``work(session)`` in a transaction of its own, outside any request; its result."""
    async with sessionmaker.begin() as session:
        return await work(session)


async def release_before_waiting(session: AsyncSession) -> None:
    """Commit what the request did so far, so that no connection, snapshot or write lock is held
    while it waits on the client (a streamed upload); the session begins anew afterwards.
    ``after_commit``/``after_rollback`` callbacks keep waiting for the end of the request."""
    await session.commit()


# scope="function" closes the dependency when the endpoint returns, i.e. before the
# response goes out, so a failed commit can never follow a 2xx the client already got.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
