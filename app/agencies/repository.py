from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency


async def all_agencies(session: AsyncSession) -> list[Agency]:
    return list(await session.scalars(select(Agency).order_by(Agency.position)))


async def get_agency(session: AsyncSession, code: str) -> Agency | None:
    return await session.get(Agency, code)
