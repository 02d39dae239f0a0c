"""The agency tree (``agencies.json``) and the unconfirmed candidates (``agency_candidates.json``):
records to rows for loading, rows back to records for export."""

import re
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import String, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import (
    Agency,
    AgencyCandidate,
    AgencyItem,
    AgencyItemDetail,
    AgencyLevel,
    CandidateStatus,
    SourceConfidence,
)
from app.core.db import upsert_statement
from app.core.seeding import FieldError, Rows, choice, prepare_rows, require_known, upsert

AGENCIES_FILE = "agencies.json"
CANDIDATES_FILE = "agency_candidates.json"
# A unit's sources are written only for the units that have them, as in the shipped file.
_SOURCED = ("sources", "confidence", "source_note")
# The guide's local details of an item at a unit, as ``item_details`` names them.
DETAIL_FIELDS = {"place": "受理地点", "phone": "咨询电话", "hours": "办理时间", "fee": "收费"}
# The rows' keys that are no columns of ``agencies``: they go to tables of their own.
_PER_UNIT = ("items", "item_details")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def agency_rows(records: Rows, item_codes: set[str] | None = None) -> Rows:
    """The tree in file order: every parent listed before its children, at a higher level.

    A unit's ``items`` and ``item_details`` name items of ``item_codes`` (when given: the
    dataset's ``items.json``); a unit closes no later than its parent (``closed_on``)."""
    levels: dict[str, AgencyLevel] = {}
    closings: dict[str, date | None] = {}

    def prepare(position: int, node: dict[str, Any]) -> dict[str, Any]:
        level = AgencyLevel(choice(node, "level", AgencyLevel))
        _check_parent(node["parent"], level, levels)
        levels.setdefault(node["code"], level)
        closed_on = _closing(node.get("closed_on"))
        _check_closing(node["parent"], closed_on, closings)
        closings.setdefault(node["code"], closed_on)
        items = _items(node.get("items"), item_codes)
        row = {
            "code": node["code"],
            "parent_code": node["parent"],
            "name": node["name"],
            "short_name": node["short_name"],
            "level": level.value,
            "name_en": node.get("name_en"),
            "region": node.get("region"),
            "address": node.get("address"),
            "phone": node.get("phone"),
            "website": node.get("website"),
            "sources": node.get("sources", []),
            "confidence": choice(node, "confidence", SourceConfidence) if node.get("confidence") else None,
            "source_note": node.get("source_note"),
            "position": position,
            "office_hours": _text(node, "office_hours"),
            "closed_on": closed_on,
            "lists_items": items is not None,
            "items": items or [],
            "item_details": _item_details(node.get("item_details"), item_codes),
        }
        _check_lengths(row)
        return row

    return prepare_rows(AGENCIES_FILE, "code", records, prepare)


def _text(node: dict[str, Any], field: str) -> str | None:
    value = node.get(field)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise FieldError(field, "应为非空的文本")
    return value


def _check_lengths(row: dict[str, Any]) -> None:
    """Text longer than its column is refused here, naming the field, before the database
    refuses the whole load (PostgreSQL) or keeps it whole (SQLite)."""
    for column in Agency.__table__.columns:
        value = row.get(column.name)
        if isinstance(column.type, String) and isinstance(value, str) and len(value) > column.type.length:
            raise FieldError(column.name, f"不能超过 {column.type.length} 个字符（现为 {len(value)} 个）")


def _closing(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise FieldError("closed_on", f"撤销日期应为 YYYY-MM-DD 格式的有效日期（现为 {value!r}）")


def _check_closing(parent: str | None, closed_on: date | None, closings: dict[str, date | None]) -> None:
    """A unit cannot be closed while a unit under it is open: each child closes no later."""
    parent_closes = closings.get(parent) if parent else None
    if parent_closes is not None and (closed_on is None or closed_on > parent_closes):
        raise FieldError(
            "closed_on",
            f"上级机构“{parent}”自 {parent_closes.isoformat()} 起撤销，本机构须在同日或更早撤销"
            "（撤销机构前须先撤销其下级机构）",
        )


def _items(value: Any, item_codes: set[str] | None) -> list[str] | None:
    """The items the unit handles (实施机构); ``None``: what its level handles."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise FieldError("items", "应为事项编码的数组")
    for code in value:
        if item_codes is not None:
            require_known("items", code, item_codes, "事项")
    if len(set(value)) != len(value):
        raise FieldError("items", "事项编码重复")
    return value


def _item_details(value: Any, item_codes: set[str] | None) -> dict[str, dict[str, str]]:
    """``{item_code: {place?, phone?, hours?, fee?}}``: at least one detail, each a text."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FieldError("item_details", "应为以事项编码为键的对象")
    for code, details in value.items():
        field = f"item_details.{code}"
        if item_codes is not None:
            require_known("item_details", code, item_codes, "事项")
        if not isinstance(details, dict) or not details:
            raise FieldError(field, f"应至少填写一项：{'、'.join(f'{k}（{v}）' for k, v in DETAIL_FIELDS.items())}")
        for name, text in details.items():
            if name not in DETAIL_FIELDS:
                raise FieldError(f"{field}.{name}", f"未知字段，可选：{'、'.join(DETAIL_FIELDS)}")
            if not isinstance(text, str) or not text.strip():
                raise FieldError(f"{field}.{name}", "应为非空的文本")
            limit = AgencyItemDetail.__table__.c[name].type.length
            if len(text) > limit:
                raise FieldError(f"{field}.{name}", f"不能超过 {limit} 个字符（现为 {len(text)} 个）")
    return value


def _check_parent(parent: str | None, level: AgencyLevel, levels: dict[str, AgencyLevel]) -> None:
    if parent is None:
        if level != AgencyLevel.ministry_bureau:
            raise FieldError("parent", "只有部海事局（ministry_bureau）可以没有上级机构")
        return
    if parent not in levels:
        raise FieldError("parent", f"上级机构“{parent}”不存在（上级机构须列在其下级之前）")
    if levels[parent].rank >= level.rank:
        raise FieldError("level", f"{level.value} 不低于上级机构“{parent}”的层级 {levels[parent].value}")


def candidate_rows(records: Rows, agency_codes: set[str]) -> Rows:
    """Candidates propose a parent among the agencies or the other candidates."""
    proposed = agency_codes | {record.get("code") for record in records}

    def prepare(position: int, node: dict[str, Any]) -> dict[str, Any]:
        require_known("parent", node["parent"], proposed, "上级机构")
        return {
            "code": node["code"],
            "name": node["name"],
            "short_name": node["short_name"],
            "level": choice(node, "level", AgencyLevel),
            "parent_code": node["parent"],
            "parent_name": node.get("parent_name"),
            "address": node.get("address"),
            "phone": node.get("phone"),
            "sources": node["sources"],
            "confidence": choice(node, "confidence", SourceConfidence),
            "note": node.get("note"),
            "position": position,
            "status": CandidateStatus.pending.value,
        }

    return prepare_rows(CANDIDATES_FILE, "code", records, prepare)


async def write_agencies(session: AsyncSession, agencies: Rows, candidates: Rows) -> None:
    """The units (their items and local details go in ``write_unit_items``, once the items
    are written) and the candidates."""
    await upsert(session, Agency, [{k: v for k, v in row.items() if k not in _PER_UNIT} for row in agencies])
    await write_candidates(session, candidates)


async def write_unit_items(session: AsyncSession, agencies: Rows) -> None:
    """For each unit, the items it handles and its local details as the file has them now:
    what the unit had before is replaced."""
    codes = [row["code"] for row in agencies]
    for model in (AgencyItem, AgencyItemDetail):
        await session.execute(delete(model).where(model.agency_code.in_(codes)))
    listed = [
        {"agency_code": row["code"], "item_code": code, "position": index}
        for row in agencies
        for index, code in enumerate(row["items"])
    ]
    details = [
        {
            "agency_code": row["code"],
            "item_code": code,
            "position": index,
            **dict.fromkeys(DETAIL_FIELDS),
            **given,
        }
        for row in agencies
        for index, (code, given) in enumerate(row["item_details"].items())
    ]
    await upsert(session, AgencyItem, listed)
    await upsert(session, AgencyItemDetail, details)


async def write_candidates(session: AsyncSession, rows: Rows) -> None:
    """The low-confidence units, offered to the system administrator. What the sources say is
    refreshed while a candidate waits; one confirmed or dismissed is left as the administrator
    left it, and a code that is already an agency is never offered."""
    if not rows:
        return
    insert = upsert_statement(session, AgencyCandidate)
    waiting = AgencyCandidate.__table__.c.status == CandidateStatus.pending.value
    refreshed = {name: insert.excluded[name] for name in rows[0] if name not in ("code", "status")}
    await session.execute(
        insert.on_conflict_do_update(index_elements=["code"], set_=refreshed, where=waiting), rows
    )


async def agency_records(session: AsyncSession) -> Rows:
    """The tree as ``agencies.json`` holds it, confirmed candidates included (they are agencies)."""
    items: dict[str, list[str]] = defaultdict(list)
    listing = select(AgencyItem).order_by(AgencyItem.agency_code, AgencyItem.position)
    for listed in await session.scalars(listing):
        items[listed.agency_code].append(listed.item_code)
    details: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    statement = select(AgencyItemDetail).order_by(AgencyItemDetail.agency_code, AgencyItemDetail.position)
    for detail in await session.scalars(statement):
        details[detail.agency_code][detail.item_code] = detail_record(detail)
    return [
        agency_record(agency, items[agency.code], details[agency.code])
        for agency in await session.scalars(select(Agency).order_by(Agency.position))
    ]


def detail_record(detail: AgencyItemDetail) -> dict[str, str]:
    """The details given, as ``item_details`` holds them."""
    return {name: getattr(detail, name) for name in DETAIL_FIELDS if getattr(detail, name) is not None}


def agency_record(agency: Agency, items: list[str], details: dict[str, dict[str, str]]) -> dict[str, Any]:
    """One unit as ``agencies.json`` holds it, with the items it lists and its local details."""
    record = {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "level": agency.level,
        "parent": agency.parent_code,
        "name_en": agency.name_en,
        "region": agency.region,
        "address": agency.address,
        "phone": agency.phone,
        "website": agency.website,
    }
    if agency.sources or agency.confidence or agency.source_note:
        record.update({name: getattr(agency, name) for name in _SOURCED})
    # The upkeep keys, each only when set: files that never had them come back unchanged.
    if agency.office_hours is not None:
        record["office_hours"] = agency.office_hours
    if agency.closed_on is not None:
        record["closed_on"] = agency.closed_on.isoformat()
    if agency.lists_items:
        record["items"] = items
    if details:
        record["item_details"] = details
    return record


async def candidate_records(session: AsyncSession) -> Rows:
    """The candidates still waiting. A confirmed one is an agency by now and goes out in
    ``agencies.json``; a dismissed one stays out of the files, so that loading them into a new
    database never offers it again (and in this one, the seed leaves decided candidates as they
    are). Only pending candidates round-trip."""
    waiting = (
        select(AgencyCandidate)
        .where(AgencyCandidate.status == CandidateStatus.pending.value)
        .order_by(AgencyCandidate.position, AgencyCandidate.code)
    )
    return [
        {
            "code": candidate.code,
            "name": candidate.name,
            "short_name": candidate.short_name,
            "level": candidate.level,
            "parent": candidate.parent_code,
            "parent_name": candidate.parent_name,
            "address": candidate.address,
            "phone": candidate.phone,
            "sources": candidate.sources,
            "confidence": candidate.confidence,
            "note": candidate.note,
        }
        for candidate in await session.scalars(waiting)
    ]
