from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, JSONDocument, UTCDateTime
from app.core.enums import LabelledEnum


class AgencyLevel(LabelledEnum):
    ministry_bureau = "ministry_bureau", "部海事局"
    direct_bureau = "direct_bureau", "直属海事局"
    # A province's own maritime bureau (江苏省地方海事局…): not part of the 直属 system, it
    # answers to the province; msa.gov.cn lists it beside the 直属局, so the tree does too.
    local_bureau = "local_bureau", "地方海事局"
    branch_bureau = "branch_bureau", "分支海事局"
    office = "office", "海事处"

    @property
    def rank(self) -> int:
        """How deep in the tree the level sits: a parent ranks above (lower than) its children,
        and a 直属局 and a 地方海事局 share a rank."""
        return _LEVEL_RANKS[self]


_LEVEL_RANKS = {
    AgencyLevel.ministry_bureau: 0,
    AgencyLevel.direct_bureau: 1,
    AgencyLevel.local_bureau: 1,
    AgencyLevel.branch_bureau: 2,
    AgencyLevel.office: 3,
}


class SourceConfidence(LabelledEnum):
    """How sure the public sources make a unit: ``high`` an official (msa.gov.cn or government)
    page names it; ``medium`` an encyclopedia entry, two independent sources or a mainstream
    news report; ``low`` a single unofficial source or a parent inferred from location."""

    high = "high", "高（官方页面）"
    medium = "medium", "中（百科、两处独立来源或主流媒体）"
    low = "low", "低（单一非官方来源或按地域推定）"


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
    sources: Mapped[list[str]] = mapped_column(
        JSONDocument, server_default="[]", comment="public sources that name the unit (URLs or descriptions)"
    )
    confidence: Mapped[SourceConfidence | None] = mapped_column(
        String(8), comment="how sure the sources make the unit; null: from the original reference"
    )
    source_note: Mapped[str | None] = mapped_column(String(200))
    office_hours: Mapped[str | None] = mapped_column(String(100), comment="办公时间")
    closed_on: Mapped[date | None] = mapped_column(
        Date, comment="撤销日期 (China time): from that day the unit is no longer offered"
    )
    lists_items: Mapped[bool] = mapped_column(
        server_default=false(),
        comment="true: the unit handles exactly its agency_items; false: what its level handles",
    )


class AgencyItem(Base):
    """An item a unit handles (实施机构), for the units that list theirs (``lists_items``)."""

    __tablename__ = "agency_items"

    agency_code: Mapped[str] = mapped_column(
        ForeignKey("agencies.code", ondelete="CASCADE"), primary_key=True
    )
    item_code: Mapped[str] = mapped_column(
        ForeignKey("service_items.code", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(comment="order of the unit's items in the file")


class AgencyItemDetail(Base):
    """The guide's local details of one item at one unit (受理地点, 咨询电话, 办理时间, 收费)."""

    __tablename__ = "agency_item_details"

    agency_code: Mapped[str] = mapped_column(
        ForeignKey("agencies.code", ondelete="CASCADE"), primary_key=True
    )
    item_code: Mapped[str] = mapped_column(
        ForeignKey("service_items.code", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(comment="order of the unit's item_details in the file")
    place: Mapped[str | None] = mapped_column(String(200), comment="受理地点")
    phone: Mapped[str | None] = mapped_column(String(64), comment="咨询电话")
    hours: Mapped[str | None] = mapped_column(String(100), comment="办理时间")
    fee: Mapped[str | None] = mapped_column(String(500), comment="收费")


class CandidateStatus(LabelledEnum):
    pending = "pending", "待确认"
    confirmed = "confirmed", "已确认"
    dismissed = "dismissed", "已驳回"


class AgencyCandidate(Base):
    """A unit the public sources name with low confidence, offered to the system administrator.

    It is no agency: nothing public reads this table, so it cannot be picked, searched, filtered
    on or assigned until a system administrator confirms it, which adds it to ``agencies``. A
    dismissed candidate stays here, so that loading the seed again does not offer it again."""

    __tablename__ = "agency_candidates"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    short_name: Mapped[str] = mapped_column(String(32))
    level: Mapped[AgencyLevel] = mapped_column(String(24))
    parent_code: Mapped[str] = mapped_column(String(16), comment="proposed: an agency or another candidate")
    parent_name: Mapped[str | None] = mapped_column(String(64), comment="the parent as the sources put it")
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(64))
    sources: Mapped[list[str]] = mapped_column(JSONDocument)
    confidence: Mapped[SourceConfidence] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(comment="order of the seed file")
    status: Mapped[CandidateStatus] = mapped_column(
        String(12), default=CandidateStatus.pending.value, index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(IdColumn, comment="the system administrator (user id)")
