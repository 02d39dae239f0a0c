"""好差评's table is defined with the applications it rates (``app.applications.models``); the
回访整改 task a bad rating opens is defined here."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.applications.models import Evaluation
from app.core.db import Base, IdColumn, UTCDateTime, new_id, utcnow

__all__ = ["Evaluation", "FollowUp"]


class FollowUp(Base):
    """回访整改: the agency calls back the applicant who rated 不满意 or 非常不满意, finds out what
    went wrong and puts it right within a deadline. One per bad evaluation, opened with it."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        # The list of an agency: open ones first, the nearest deadline first.
        Index("ix_follow_ups_queue", "agency_code", "queue_rank", "due_on", "id"),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    evaluation_id: Mapped[str] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), unique=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    state: Mapped[str] = mapped_column(String(16))
    queue_rank: Mapped[int] = mapped_column(comment="0 while open, 1 once closed: open ones list first")
    version: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_on: Mapped[date] = mapped_column(Date, comment="FOLLOW_UP_WORKING_DAYS working days after the rating")
    # 回访: when and how the applicant was reached, what they said, what staff found.
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[str | None] = mapped_column(String(16))
    applicant_said: Mapped[str | None] = mapped_column(Text)
    finding: Mapped[str | None] = mapped_column(Text)
    visited_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    # 整改: what was changed, and whether the applicant is satisfied with it.
    rectification: Mapped[str | None] = mapped_column(Text)
    applicant_satisfied: Mapped[bool | None]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Every UPDATE checks and bumps the version: of two concurrent changes only one lands.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
