"""Every published (or scheduled) dataset version, whole, and the one draft being edited.

Both keep the dataset as records of its files (``{file name: [record, …]}``, the shipped seed
format), so any two versions can be compared and an old guide read back. Plain JSON, not JSONB:
the records keep their keys in file order."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow
from app.core.enums import LabelledEnum

Files = dict[str, list[dict[str, Any]]]


class VersionState(LabelledEnum):
    published = "published", "已发布"
    scheduled = "scheduled", "待生效"
    cancelled = "cancelled", "已取消"


class DatasetVersion(Base):
    __tablename__ = "dataset_versions"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    state: Mapped[VersionState] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200))
    base_version: Mapped[int | None] = mapped_column(comment="the published version it was drafted on")
    effective_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="when it takes effect (scheduled)"
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by: Mapped[str] = mapped_column(String(64), comment="who: a username, or how (seed, import)")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    files: Mapped[Files] = mapped_column(JSON)
    changes: Mapped[dict[str, int]] = mapped_column(JSON, comment="added/removed/changed records vs its base")


class DatasetDraft(Base):
    """The one draft (id 1): created by the first edit from the current version, gone when
    published or discarded."""

    __tablename__ = "dataset_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    base_version: Mapped[int]
    files: Mapped[Files] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
