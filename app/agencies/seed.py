from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency, AgencyLevel
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
            "position": position,
        }
        for position, node in enumerate(read_seed("app.agencies", "agencies.json"))
    ]
    await upsert(session, Agency, rows)
