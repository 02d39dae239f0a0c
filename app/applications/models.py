from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.catalog.models import ServiceItem
from app.core.db import Base, IdColumn, JSONDocument, UTCDateTime, new_id, utcnow
from app.materials.models import ApplicationMaterial as ApplicationMaterial  # defined with materials


class Application(Base):
    """办件: one application for an online item, from draft to decision."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_applicant_newest", "applicant_id", "created_at", "id"),
        Index("ix_applications_queue", "agency_code", "status", "created_at", "id"),
        # The queue without a status filter: everything but drafts, newest first per agency.
        Index(
            "ix_applications_queue_open",
            "agency_code",
            "created_at",
            "id",
            postgresql_where=text("status <> 'draft'"),
            sqlite_where=text("status <> 'draft'"),
        ),
        # What changed since the back office last polled, per agency (least recently updated first).
        Index(
            "ix_applications_changes",
            "agency_code",
            "updated_at",
            "id",
            postgresql_where=text("status <> 'draft'"),
            sqlite_where=text("status <> 'draft'"),
        ),
        # What is due, per agency: the open applications whose clock runs, earliest first.
        Index(
            "ix_applications_due",
            "agency_code",
            "due_on",
            "id",
            postgresql_where=text("due_on IS NOT NULL AND decided_at IS NULL"),
            sqlite_where=text("due_on IS NOT NULL AND decided_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    number: Mapped[str | None] = mapped_column(
        String(20), unique=True, comment="申请编号, set at first submit"
    )
    item_code: Mapped[str] = mapped_column(ForeignKey("service_items.code"))
    applicant_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"))
    status: Mapped[str] = mapped_column(String(24), index=True)
    version: Mapped[int] = mapped_column(default=1)
    form: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    contact_phone_index: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, comment="latest submission")
    dataset_version: Mapped[int | None] = mapped_column(
        comment="the dataset version it was first submitted under"
    )
    # The 承诺办结 clock (app.applications.deadlines): set at submission, paused for 补正.
    due_on: Mapped[date | None] = mapped_column(
        Date, comment="承诺办结 date (China); null when no clock runs"
    )
    paused_on: Mapped[date | None] = mapped_column(Date, comment="the day 补正 paused the clock (China)")
    due_on_at_pause: Mapped[date | None] = mapped_column(Date, comment="due_on when 补正 paused the clock")
    decided_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="when it reached 已办结/不予许可/不予受理"
    )

    # Loaded with the row by lists (one query per page), never lazily.
    item: Mapped[ServiceItem] = relationship(lazy="raise")
    agency: Mapped[Agency | None] = relationship(lazy="raise")

    # Every UPDATE checks and bumps the version: of two concurrent changes only one lands.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ApplicationEvent(Base):
    """One line of the timeline: who changed the status, when, and why."""

    __tablename__ = "application_events"
    __table_args__ = (
        Index("ix_application_events_timeline", "application_id", "occurred_at"),
        # 统计分析: the decisions of one kind (受理 …) taken in a period.
        Index("ix_application_events_action_time", "action", "occurred_at", "application_id"),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str | None] = mapped_column(Text)


class Notice(Base):
    """A written notice issued on a decision (受理通知书, 补正材料通知书 …)."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    number: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content: Mapped[dict[str, Any]] = mapped_column(JSONDocument, comment="what the document says, as issued")


class Evaluation(Base):
    """好差评: one rating of the service per finished application.

    Here rather than in ``app.evaluations``: the application's presenter shows whether one was
    given, and ``app.evaluations`` (its rules and routes) sits above ``app.applications``."""

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
