from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, JSONDocument, UTCDateTime, new_id, utcnow


class Evaluation(Base):
    """好差评: one rating of the service per finished application."""

    __tablename__ = "evaluations"
    __table_args__ = (
        Index("ix_evaluations_evaluator_newest", "evaluator_id", "created_at", "id"),
        Index("ix_evaluations_agency_newest", "agency_code", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    evaluator_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    item_code: Mapped[str] = mapped_column(ForeignKey("service_items.code"))
    rating: Mapped[int]
    tags: Mapped[list[str]] = mapped_column(JSONDocument)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
