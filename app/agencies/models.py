from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.core.enums import LabelledEnum


class AgencyLevel(LabelledEnum):
    ministry_bureau = "ministry_bureau", "部海事局"
    direct_bureau = "direct_bureau", "直属海事局"
    branch_bureau = "branch_bureau", "分支海事局"
    office = "office", "海事处"


class Agency(Base):
    """A maritime administration office in the 部局 → 直属局 → 分支局 → 海事处 tree."""

    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"), index=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    short_name: Mapped[str] = mapped_column(String(32))
    level: Mapped[AgencyLevel] = mapped_column(String(24))
    name_en: Mapped[str | None] = mapped_column(String(128))
    region: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(64))
    website: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(comment="order of the seed file: parents before children")
