"""Which items each unit handles (实施机构): the one rule behind the catalog's agency filter,
the agency picker (``GET /catalog/items/{code}/agencies``), the localized guide and the check
at submission.

A unit that lists its ``items`` (agencies.json) handles exactly those; any other handles what
its level handles (the item's 行使层级, ``service_item_levels``). Whether the unit is still open
is ``app.agencies.closing``'s business.
"""

from sqlalchemy import Subquery, and_, exists, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency, AgencyItem
from app.catalog.models import ServiceItemLevel


def handling() -> Subquery:
    """Every (``agency_code``, ``item_code``) such that the unit handles the item, open or not."""
    listed = select(AgencyItem.agency_code, AgencyItem.item_code)
    by_level = (
        select(Agency.code.label("agency_code"), ServiceItemLevel.item_code)
        .join(ServiceItemLevel, ServiceItemLevel.level == Agency.level)
        .where(Agency.lists_items.is_(False))
    )
    return union_all(listed, by_level).subquery("handling")


def items_handled_by(agency_code: str):
    """The codes of the items ``agency_code`` handles (a subquery for ``IN``)."""
    pairs = handling()
    return select(pairs.c.item_code).where(pairs.c.agency_code == agency_code)


async def units_handling(session: AsyncSession, item_code: str) -> set[str]:
    """The codes of the units that handle ``item_code`` (open or not)."""
    pairs = handling()
    return set(await session.scalars(select(pairs.c.agency_code).where(pairs.c.item_code == item_code)))


async def handles(session: AsyncSession, agency_code: str, item_code: str) -> bool:
    pairs = handling()
    return bool(
        await session.scalar(
            select(exists().where(and_(pairs.c.agency_code == agency_code, pairs.c.item_code == item_code)))
        )
    )
