"""Queries of the audit trail."""

from datetime import datetime

from sqlalchemy import delete, desc, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEvent
from app.audit.schemas import EventFilter
from app.core.pagination import keyset

NEWEST_FIRST = [(AuditEvent.occurred_at, desc), (AuditEvent.id, desc)]


async def events(
    session: AsyncSession, filters: EventFilter, *, cursor: str | None, limit: int
) -> list[AuditEvent]:
    """Matching events, newest first, ``limit + 1`` of them (see ``page_of``)."""
    statement = select(AuditEvent)
    if filters.event is not None:
        if filters.event.endswith("."):
            statement = statement.where(AuditEvent.event.startswith(filters.event, autoescape=True))
        else:
            statement = statement.where(AuditEvent.event == filters.event)
    for column, value in (
        (AuditEvent.actor_id, filters.actor_id),
        (AuditEvent.object_type, filters.object_type),
        (AuditEvent.object_id, filters.object_id),
        (AuditEvent.outcome, filters.outcome),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if filters.since is not None:
        statement = statement.where(AuditEvent.occurred_at >= filters.since)
    if filters.until is not None:
        statement = statement.where(AuditEvent.occurred_at < filters.until)
    return list(await session.scalars(keyset(statement, NEWEST_FIRST, cursor, limit)))


async def delete_older_than(session: AsyncSession, cutoff: datetime) -> int:
    """No minimum here: the database itself refuses rows younger than the retention minimum."""
    result = await session.execute(
        delete(AuditEvent).where(AuditEvent.occurred_at < cutoff),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount
