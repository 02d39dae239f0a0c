from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONDocument


class ServiceItem(Base):
    """A service item (政务服务事项) and its 办事指南."""

    __tablename__ = "service_items"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    business: Mapped[str] = mapped_column(String(24), index=True)
    nature: Mapped[str] = mapped_column(String(24), index=True)
    for_personal: Mapped[bool]
    for_corporate: Mapped[bool]
    online: Mapped[bool]
    position: Mapped[int] = mapped_column(index=True, comment="catalog order and pagination key")
    aliases: Mapped[list[str]] = mapped_column(JSONDocument)
    guide: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    source: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(
        Text, comment="name, sub-items and aliases in Chinese, pinyin and initials"
    )


class ServiceItemLevel(Base):
    """Which levels of the agency tree accept an item (the guide's 行使层级)."""

    __tablename__ = "service_item_levels"

    item_code: Mapped[str] = mapped_column(
        ForeignKey("service_items.code", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(24), primary_key=True, index=True)


class OnlineForm(Base):
    """The form of an item that can be applied for online (在线办理)."""

    __tablename__ = "online_forms"

    item_code: Mapped[str] = mapped_column(
        ForeignKey("service_items.code", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(128), comment="the name the 在线办理 page shows")
    after_submit: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    material_slots: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    form_schema: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    rules: Mapped[dict[str, Any]] = mapped_column(
        JSONDocument, comment="the item's checks beyond its form_schema (app.catalog.rules.FormRules)"
    )
    example: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    promised_working_days: Mapped[int | None] = mapped_column(
        comment="承诺办结时限 in working days from the guide; null: no decision deadline"
    )
