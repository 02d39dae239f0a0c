"""On SQLite, the embedded default, a read does not queue behind a writer.

SQLite lets one connection write at a time. A request that changes things (POST, PUT, DELETE)
takes the write lock when its transaction begins, queueing for it up to the busy timeout (5 s),
so that nobody can commit between what it reads and what it writes. A GET or HEAD begins
without the lock and reads alongside whoever writes: a long import, a backup tool, another
worker's request.

Some reads write all the same: reading the audit trail is recorded in it, and a privileged
session notes its last activity (at most once a minute). SQLite refuses such a write at once if
another connection committed since the read began, or holds the write lock right then. The
request is then rolled back and run once more from the start, this time holding the write lock
from its first statement: the client gets one answer, the write lands once, and the access log
and the metrics count one request. A read that must write while the lock stays taken waits for
it like any writer, and then gives up: 503 `service.busy`.

PostgreSQL has no database-wide write lock; these tests run on SQLite only.
"""

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import event

from tests.support.applying import login
from tests.support.audit import auditor
from tests.support.database import (
    selected_databases,
    serving,
    serving_app,
    sqlite_path,
    write_lock_held,
)
from tests.support.faults import TEST_BUDGET_S, assert_unavailable

pytestmark = pytest.mark.skipif(
    "sqlite" not in selected_databases(), reason="TEST_DATABASES excludes sqlite"
)

BUSY_TIMEOUT_S = 5  # PRAGMA busy_timeout, app.core.db
# The first statement of every signed-in request: who is calling.
WHO_IS_CALLING = "SELECT users.role, users.agency_code, auth_sessions.created_at"
AUDIT_RECORD = "INSERT INTO audit_events"
ACTIVITY_NOTED = "UPDATE auth_sessions SET last_seen_at"
# What the other connection writes: another worker counting a sign-in, say.
OTHER_KEY = "another-worker"


@dataclass
class OtherConnection:
    statements_seen: int = 0  # how often the app ran the statement watched for
    wrote: bool = False  # whether the other connection could take the write lock when it tried


@contextlib.contextmanager
def another_connection_writes_before(app, settings, statement: str, *, keeps_the_lock_for: float = 0):
    """Another connection writes just before the app first runs ``statement`` (the start of its
    SQL): it takes the write lock, if it can get it at once, inserts a row and commits, at once or
    after keeping the lock ``keeps_the_lock_for`` seconds."""
    other = OtherConnection()
    committing: list[threading.Timer] = []

    def before(_connection, _cursor, sql, _parameters, _context, _executemany) -> None:
        if not sql.startswith(statement):
            return
        other.statements_seen += 1
        if other.statements_seen > 1:
            return
        writer = sqlite3.connect(sqlite_path(settings), timeout=0, isolation_level=None, check_same_thread=False)
        try:
            writer.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # "database is locked": the request holds the lock itself
            writer.close()
            return
        writer.execute(
            "INSERT INTO throttle_counters (key, window_start, count) VALUES (?, ?, 1)",
            (OTHER_KEY, f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S.%f}"),
        )
        other.wrote = True

        def commit() -> None:
            writer.commit()
            writer.close()

        if keeps_the_lock_for:
            committing.append(threading.Timer(keeps_the_lock_for, commit))
            committing[0].start()
        else:
            commit()

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield other
    finally:
        event.remove(engine, "before_cursor_execute", before)
        for timer in committing:
            timer.join()


def scalar(settings, sql: str, *parameters):
    with contextlib.closing(sqlite3.connect(sqlite_path(settings))) as connection:
        return connection.execute(sql, parameters).fetchone()[0]


def audit_queries(settings) -> int:
    return scalar(settings, "SELECT count(*) FROM audit_events WHERE event = 'audit.query'")


def other_rows(settings) -> int:
    return scalar(settings, "SELECT count(*) FROM throttle_counters WHERE key = ?", OTHER_KEY)


def requests_counted(route: str, status: int) -> float:
    labels = {"method": "GET", "route": route, "status": str(status)}
    return REGISTRY.get_sample_value("msa_http_requests_total", labels) or 0


async def test_reads_are_answered_at_once_while_another_connection_holds_the_write_lock(sqlite_settings):
    async with asyncio.timeout(TEST_BUDGET_S), serving(sqlite_settings) as api:
        corp = await login(api, "demo-corp")
        reader = await auditor(api)

        with write_lock_held(sqlite_settings) as other:
            other.execute(
                "INSERT INTO throttle_counters (key, window_start, count) VALUES (?, ?, 1)",
                (OTHER_KEY, f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S.%f}"),
            )
            started = time.monotonic()
            mine = await api.get("/me/applications", headers=corp)
            # Never read before, so not held in memory (app.core.read_cache): read from the database.
            item = await api.get("/catalog/items/TH-001")
            took = time.monotonic() - started
            # Reading the trail is recorded in it: this read must write, so it waits like a writer.
            trail = await api.get("/audit/events", headers=reader)

        assert mine.status_code == 200, mine.text
        assert item.status_code == 200 and item.json()["code"] == "TH-001"
        assert took < BUSY_TIMEOUT_S / 2, f"the reads waited {took:.1f} s for the write lock"
        assert_unavailable(trail, "service.busy")
        assert (await api.get("/audit/events", headers=reader)).status_code == 200  # the lock is free


@pytest.mark.parametrize(
    "keeps_the_lock_for", [0, 0.5], ids=["another-connection-commits", "another-connection-holds-the-lock"]
)
async def test_a_read_that_is_recorded_in_the_audit_trail_and_loses_the_race_to_write_is_run_again(
    sqlite_settings, caplog, keeps_the_lock_for
):
    async with asyncio.timeout(TEST_BUDGET_S), serving_app(sqlite_settings) as (app, api):
        caplog.set_level(logging.INFO)  # the app set the level it was configured with
        reader = await auditor(api)
        recorded, counted = audit_queries(sqlite_settings), requests_counted("/api/v1/audit/events", 200)

        with another_connection_writes_before(
            app, sqlite_settings, AUDIT_RECORD, keeps_the_lock_for=keeps_the_lock_for
        ) as other:
            trail = await api.get("/audit/events", headers=reader)

        assert trail.status_code == 200, trail.text
        assert other.wrote, "the other connection found the write lock taken: the read held it from its start"
        assert other.statements_seen == 2, "refused once, then written holding the lock"
        assert audit_queries(sqlite_settings) == recorded + 1
        assert other_rows(sqlite_settings) == 1
        assert requests_counted("/api/v1/audit/events", 200) == counted + 1
        answered = [r for r in caplog.records if r.name == "app.access" and r.path == "/api/v1/audit/events"]
        assert [r.status for r in answered] == [200]
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # no 503, no 500


async def test_a_privileged_read_that_notes_the_session_activity_and_loses_the_race_to_write_is_run_again(
    sqlite_settings,
):
    async with asyncio.timeout(TEST_BUDGET_S), serving_app(sqlite_settings) as (app, api):
        staff = await login(api, "demo-staff-sh")
        two_minutes_ago = datetime.now(UTC) - timedelta(minutes=2)
        with contextlib.closing(sqlite3.connect(sqlite_path(sqlite_settings))) as connection, connection:
            connection.execute(
                "UPDATE auth_sessions SET last_seen_at = ?"
                " WHERE user_id = (SELECT id FROM users WHERE username = 'demo-staff-sh')",
                (f"{two_minutes_ago:%Y-%m-%d %H:%M:%S.%f}",),
            )

        with another_connection_writes_before(app, sqlite_settings, ACTIVITY_NOTED) as other:
            me = await api.get("/me", headers=staff)

        assert me.status_code == 200, me.text
        assert me.json()["username"] == "demo-staff-sh"
        assert other.wrote, "the other connection found the write lock taken: the read held it from its start"
        assert other.statements_seen == 2, "refused once, then written holding the lock"
        assert other_rows(sqlite_settings) == 1
        last_seen = scalar(
            sqlite_settings,
            "SELECT max(last_seen_at) FROM auth_sessions"
            " WHERE user_id = (SELECT id FROM users WHERE username = 'demo-staff-sh')",
        )
        assert datetime.fromisoformat(last_seen).replace(tzinfo=UTC) > two_minutes_ago + timedelta(minutes=1)


async def test_a_request_that_changes_things_holds_the_write_lock_from_its_first_statement(sqlite_settings):
    """Nobody can commit between what a POST reads and what it writes: it is not run again."""
    async with asyncio.timeout(TEST_BUDGET_S), serving_app(sqlite_settings) as (app, api):
        corp = await login(api, "demo-corp")

        with another_connection_writes_before(app, sqlite_settings, WHO_IS_CALLING) as other:
            created = await api.post("/applications", json={"item_code": "WF-002"}, headers=corp)

        assert created.status_code == 201, created.text
        assert other.statements_seen == 1
        assert not other.wrote, "another connection could write while the POST had begun"
        assert other_rows(sqlite_settings) == 0
