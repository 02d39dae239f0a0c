"""The agency tree (``agencies.json``) and the unconfirmed candidates (``agency_candidates.json``):
records to rows for loading, rows back to records for export."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency, AgencyCandidate, AgencyLevel, CandidateStatus, SourceConfidence
from app.core.db import upsert_statement
from app.core.seeding import FieldError, Rows, choice, prepare_rows, require_known, upsert

AGENCIES_FILE = "agencies.json"
CANDIDATES_FILE = "agency_candidates.json"
# A unit's sources are written only for the units that have them, as in the shipped file.
_SOURCED = ("sources", "confidence", "source_note")


def agency_rows(records: Rows) -> Rows:
    """The tree in file order: every parent listed before its children, at a higher level."""
    levels: dict[str, AgencyLevel] = {}

    def prepare(position: int, node: dict[str, Any]) -> dict[str, Any]:
        level = AgencyLevel(choice(node, "level", AgencyLevel))
        _check_parent(node["parent"], level, levels)
        levels.setdefault(node["code"], level)
        return {
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
        }

    return prepare_rows(AGENCIES_FILE, "code", records, prepare)


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
    await upsert(session, Agency, agencies)
    await write_candidates(session, candidates)


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
    return [
        _agency_record(agency) for agency in await session.scalars(select(Agency).order_by(Agency.position))
    ]


def _agency_record(agency: Agency) -> dict[str, Any]:
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
