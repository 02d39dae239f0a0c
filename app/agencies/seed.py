from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency, AgencyCandidate, AgencyLevel, CandidateStatus, SourceConfidence
from app.core.db import upsert_statement
from app.core.seeding import read_seed, upsert


async def load_agencies(session: AsyncSession) -> None:
    rows = [
        {
            "code": node["code"],
            "parent_code": node["parent"],
            "name": node["name"],
            "short_name": node["short_name"],
            "level": AgencyLevel(node["level"]).value,
            "name_en": node.get("name_en"),
            "region": node.get("region"),
            "address": node.get("address"),
            "phone": node.get("phone"),
            "website": node.get("website"),
            "sources": node.get("sources", []),
            "confidence": SourceConfidence(node["confidence"]).value if node.get("confidence") else None,
            "source_note": node.get("source_note"),
            "position": position,
        }
        for position, node in enumerate(read_seed("app.agencies", "agencies.json"))
    ]
    await upsert(session, Agency, rows)
    await load_candidates(session)


async def load_candidates(session: AsyncSession) -> None:
    """The low-confidence units, offered to the system administrator. What the sources say is
    refreshed while a candidate waits; one confirmed or dismissed is left as the administrator
    left it, and a code that is already an agency is never offered."""
    rows = [
        {
            "code": node["code"],
            "name": node["name"],
            "short_name": node["short_name"],
            "level": AgencyLevel(node["level"]).value,
            "parent_code": node["parent"],
            "parent_name": node.get("parent_name"),
            "address": node.get("address"),
            "phone": node.get("phone"),
            "sources": node["sources"],
            "confidence": SourceConfidence(node["confidence"]).value,
            "note": node.get("note"),
            "position": position,
            "status": CandidateStatus.pending.value,
        }
        for position, node in enumerate(read_seed("app.agencies", "agency_candidates.json"))
    ]
    insert = upsert_statement(session, AgencyCandidate)
    waiting = AgencyCandidate.__table__.c.status == CandidateStatus.pending.value
    refreshed = {name: insert.excluded[name] for name in rows[0] if name not in ("code", "status")}
    await session.execute(
        insert.on_conflict_do_update(index_elements=["code"], set_=refreshed, where=waiting), rows
    )
