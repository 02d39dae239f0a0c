from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, JSONDocument, UTCDateTime, new_id, utcnow


class OutboxEvent(Base):
    """Something integrators may hear about (an application's transition, a certificate's
    change), written in the transaction of the change itself, so that it is never lost when a
    process dies between the change and its delivery. The webhook dispatcher reads the events
    in ``id`` order (UUIDv7: time-ordered) and fans each out to the subscriptions it matches."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        # Only events not yet fanned out: what the dispatcher polls for stays small.
        Index(
            "ix_outbox_events_pending",
            "id",
            postgresql_where=text("fanned_out_at IS NULL"),
            sqlite_where=text("fanned_out_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    type: Mapped[str] = mapped_column(String(64), comment="e.g. application.accepted, certificate.revoked")
    subject_id: Mapped[str] = mapped_column(IdColumn, comment="the application's or certificate's id")
    agency_code: Mapped[str | None] = mapped_column(
        String(16), comment="whose event: subscribers see their own agency's subtree only"
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSONDocument, comment="the webhook payload's data")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fanned_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
