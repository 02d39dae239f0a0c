"""The audit trail cannot be rewritten, not even with SQL: the database itself refuses to change a
row, and to delete one younger than 180 days."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.audit.models import AuditEvent
from tests.support.audit import aged_event


async def refused(session, statement: str, **params) -> None:
    """Runs ``statement`` in a savepoint and expects the database to refuse it."""
    with pytest.raises(DBAPIError, match="append-only"):
        async with session.begin_nested():
            await session.execute(text(statement), params)


async def events_named(session, event: str) -> int:
    return await session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.event == event))


async def test_a_fresh_event_can_be_neither_changed_nor_deleted(session):
    event = aged_event(0, "test.fresh")
    session.add(event)
    await session.flush()

    await refused(session, "UPDATE audit_events SET outcome = 'failure' WHERE id = :id", id=event.id)
    await refused(session, "DELETE FROM audit_events WHERE id = :id", id=event.id)
    await refused(session, "DELETE FROM audit_events")

    row = (
        await session.execute(text("SELECT outcome FROM audit_events WHERE id = :id"), {"id": event.id})
    ).one()
    assert row.outcome == "success"


async def test_an_event_of_179_days_cannot_be_deleted(session):
    event = aged_event(179, "test.young")
    session.add(event)
    await session.flush()

    await refused(session, "DELETE FROM audit_events WHERE id = :id", id=event.id)

    assert await events_named(session, "test.young") == 1


async def test_an_event_older_than_180_days_can_be_deleted_but_still_not_changed(session):
    event = aged_event(181, "test.old")
    session.add(event)
    await session.flush()

    await refused(session, "UPDATE audit_events SET event = 'test.other' WHERE id = :id", id=event.id)
    await session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": event.id})

    assert await events_named(session, "test.old") == 0


async def test_postgresql_refuses_to_truncate_the_trail(session, database_kind):
    if database_kind != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")

    await refused(session, "TRUNCATE audit_events")
