from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, JSONDocument, UTCDateTime, new_id, utcnow


class AuditEvent(Base):
    """One security-relevant event. Rows are only ever inserted: the database refuses UPDATE,
    and DELETE of rows younger than the retention minimum (migration fba247ebb36f)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(48), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(IdColumn, index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(
        JSONDocument, comment="never personal data: no ID numbers, phones, names or tokens"
    )
