"""The transactional outbox: a domain announces an event in the same transaction as its change."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
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
