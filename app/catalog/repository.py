from dataclasses import dataclass

from sqlalchemy import Select, asc, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.handling import items_handled_by
from app.catalog.models import OnlineForm, ServiceItem, ServiceItemLevel
from app.core.pagination import keyset
from app.core.search import matches

IN_ORDER = [(ServiceItem.position, asc)]


@dataclass(frozen=True)
class ItemFilter:
    search: str | None = None
    audience: str | None = None
    business: str | None = None
    nature: str | None = None
    agency: str | None = None  # only the items this unit handles
    online: bool | None = None


def _filtered(statement: Select, where: ItemFilter) -> Select:
    if where.search:
        statement = statement.where(matches(ServiceItem.search_text, where.search))
    if where.audience == "personal":
        statement = statement.where(ServiceItem.for_personal.is_(True))
    elif where.audience == "corporate":
        statement = statement.where(ServiceItem.for_corporate.is_(True))
    if where.business:
        statement = statement.where(ServiceItem.business == where.business)
    if where.nature:
        statement = statement.where(ServiceItem.nature == where.nature)
    if where.online is not None:
        statement = statement.where(ServiceItem.online.is_(where.online))
    if where.agency:
        statement = statement.where(ServiceItem.code.in_(items_handled_by(where.agency)))
    return statement


async def list_items(
    session: AsyncSession, where: ItemFilter, *, cursor: str | None, limit: int
) -> list[ServiceItem]:
    """The matching items in catalogue order, ``limit + 1`` of them after ``cursor`` (see ``page_of``)."""
    statement = keyset(_filtered(select(ServiceItem), where), IN_ORDER, cursor, limit)
    return list(await session.scalars(statement))


async def facet_rows(session: AsyncSession, where: ItemFilter):
    """The columns every facet is counted from, for the items matching ``where``."""
    statement = _filtered(
        select(
            ServiceItem.business,
            ServiceItem.nature,
            ServiceItem.for_personal,
            ServiceItem.for_corporate,
            ServiceItem.online,
        ),
        where,
    )
    return (await session.execute(statement)).all()


async def get_item(session: AsyncSession, code: str) -> ServiceItem | None:
    return await session.get(ServiceItem, code)


async def item_levels(session: AsyncSession, code: str) -> list[str]:
    statement = select(ServiceItemLevel.level).where(ServiceItemLevel.item_code == code)
    return list(await session.scalars(statement))


async def online_forms(session: AsyncSession) -> list[tuple[OnlineForm, ServiceItem]]:
    statement = (
        select(OnlineForm, ServiceItem)
        .join(ServiceItem, ServiceItem.code == OnlineForm.item_code)
        .order_by(OnlineForm.position)
    )
    return [(form, item) for form, item in (await session.execute(statement)).all()]
