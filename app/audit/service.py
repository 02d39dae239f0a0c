"""The audit trail: who did what, when, from where, with which outcome."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEvent


def record(
    session: AsyncSession,
    event: str,
    outcome: str,
    *,
    actor_id: str | None = None,
    ip: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Adds the event to the request's transaction; refusals that must keep it raise
    an error with ``keep_changes``."""
    session.add(
        AuditEvent(
            event=event,
            outcome=outcome,
            actor_id=actor_id,
            ip=ip,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
        )
    )
