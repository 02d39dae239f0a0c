"""事项查询, 政务服务 facets, 办事指南 and the online item definitions."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import AgencyLevel
from app.agencies.service import require_agency
from app.catalog import repository
from app.catalog.models import OnlineForm, ServiceItem
from app.catalog.repository import ItemFilter
from app.catalog.schemas import (
    CatalogFacets,
    FacetValue,
    OnlineItem,
    ServiceItemDetail,
    ServiceItemSummary,
)
from app.catalog.taxonomy import Audience, Business, Nature
from app.core.errors import NotFound
from app.core.pagination import page_of
from app.core.schemas import Coded, Page


class ServiceItemNotFound(NotFound):
    code = "catalog.item_not_found"
    title = "未找到该事项"


@dataclass(frozen=True)
class ItemQuery:
    """事项查询 as asked: the agency is a code here, resolved to its level by ``item_filter``."""

    q: str | None = None
    audience: Audience | None = None
    business: Business | None = None
    nature: Nature | None = None
    agency: str | None = None
    online: bool | None = None


async def item_filter(session: AsyncSession, query: ItemQuery) -> ItemFilter:
    level = AgencyLevel((await require_agency(session, query.agency)).level) if query.agency else None
    return ItemFilter(
        search=query.q,
        audience=query.audience,
        business=query.business,
        nature=query.nature,
        level=level,
        online=query.online,
    )


def summary(item: ServiceItem) -> ServiceItemSummary:
    audience = [
        a
        for a, on in ((Audience.personal, item.for_personal), (Audience.corporate, item.for_corporate))
        if on
    ]
    return ServiceItemSummary(
        code=item.code,
        name=item.name,
        aliases=item.aliases,
        business=Coded.of(Business(item.business)),
        nature=Coded.of(Nature(item.nature)),
        audience=[Coded.of(a) for a in audience],
        online=item.online,
    )


async def search_items(
    session: AsyncSession, query: ItemQuery, *, cursor: str | None, limit: int
) -> Page[ServiceItemSummary]:
    where = await item_filter(session, query)
    rows = await repository.list_items(session, where, cursor=cursor, limit=limit)
    page, next_cursor = page_of(rows, limit, repository.IN_ORDER)
    return Page(items=[summary(item) for item in page], next_cursor=next_cursor)


async def facets(session: AsyncSession, query: ItemQuery) -> CatalogFacets:
    rows = await repository.facet_rows(session, await item_filter(session, query))
    by_business = Counter(row.business for row in rows)
    by_nature = Counter(row.nature for row in rows)
    return CatalogFacets(
        audience=[
            FacetValue(**Coded.of(Audience.personal).model_dump(), count=sum(r.for_personal for r in rows)),
            FacetValue(**Coded.of(Audience.corporate).model_dump(), count=sum(r.for_corporate for r in rows)),
        ],
        business=[FacetValue(**Coded.of(b).model_dump(), count=by_business[b.value]) for b in Business],
        nature=[FacetValue(**Coded.of(n).model_dump(), count=by_nature[n.value]) for n in Nature],
        online=FacetValue(code="online", label="在线办理", count=sum(r.online for r in rows)),
        total=len(rows),
    )


async def item_guide(session: AsyncSession, code: str) -> ServiceItemDetail:
    item = await repository.get_item(session, code)
    if item is None:
        raise ServiceItemNotFound(f"事项编码“{code}”不存在")
    levels = sorted(
        (AgencyLevel(level) for level in await repository.item_levels(session, code)),
        key=list(AgencyLevel).index,
    )
    return ServiceItemDetail(
        **summary(item).model_dump(),
        handling_levels=[Coded.of(level) for level in levels],
        source=item.source,
        guide=item.guide,
    )


def online_item(form: OnlineForm, item: ServiceItem) -> OnlineItem:
    return OnlineItem(
        item_code=item.code,
        name=form.name,
        nature=Coded.of(Nature(item.nature)),
        after_submit=form.after_submit,
        steps=form.steps,
        material_slots=form.material_slots,
        form_schema=form.form_schema,
        example=form.example,
    )


async def online_items(session: AsyncSession) -> list[OnlineItem]:
    return [online_item(form, item) for form, item in await repository.online_forms(session)]
