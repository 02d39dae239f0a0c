"""The transactional outbox: a domain announces an event in the same transaction as its change."""

import json
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import new_id, utcnow
from app.outbox.models import OutboxEvent


def publish(
    session: AsyncSession,
    event_type: str,
    *,
    subject_id: str,
    agency_code: str | None,
    data: dict[str, Any],
) -> OutboxEvent:
    """Adds the event to the caller's transaction: it exists if and only if the change commits.
    No statement of its own: the insert goes out with the transaction's next flush."""
    event = OutboxEvent(
        type=event_type, subject_id=subject_id, agency_code=agency_code, data=data, occurred_at=utcnow()
    )
    session.add(event)
    return event


async def publish_many(session: AsyncSession, events: list[tuple[str, str, str | None, dict[str, Any]]]) -> None:
    """``publish`` for a batch (a bulk load's thousands of changes): ``(event_type, subject_id,
    agency_code, data)`` each, inserted by one statement in the caller's transaction, their ids
    time-ordered in the order given (on PostgreSQL one array per column, unnested by the server)."""
    if not events:
        return
    now = utcnow()
    ids = [new_id() for _ in events]
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            _PUBLISH_MANY_POSTGRESQL,
            {
                "id": ids,
                "type": [event[0] for event in events],
                "subject_id": [event[1] for event in events],
                "agency_code": [event[2] for event in events],
                "data": [_json(event[3]) for event in events],
                "now": now,
            },
        )
        return
    await session.execute(
        insert(OutboxEvent),
        [
            {"id": id_, "type": kind, "subject_id": subject, "agency_code": agency, "data": data, "occurred_at": now}
            for id_, (kind, subject, agency, data) in zip(ids, events, strict=True)
        ],
    )


_json = json.JSONEncoder(ensure_ascii=False).encode

_PUBLISH_MANY_POSTGRESQL = text(
    "INSERT INTO outbox_events (id, type, subject_id, agency_code, data, occurred_at) "
    "SELECT u.id, u.type, u.subject_id, u.agency_code, u.data::jsonb, :now "
    "FROM unnest(CAST(:id AS VARCHAR[]), CAST(:type AS VARCHAR[]), CAST(:subject_id AS VARCHAR[]), "
    "CAST(:agency_code AS VARCHAR[]), CAST(:data AS TEXT[])) AS u(id, type, subject_id, agency_code, data)"
)
