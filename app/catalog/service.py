"""事项查询, 政务服务 facets, 办事指南 and the online item definitions."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies import repository as agencies
from app.agencies.models import AgencyItemDetail, AgencyLevel
from app.agencies.seed import agency_record, detail_record
from app.agencies.schemas import AgencyNode
from app.agencies.service import agency_ref, agency_tree, require_open_agency
from app.catalog import repository
from app.catalog.handling import handles, units_handling
from app.catalog.local_details import local_values, localize
from app.catalog.models import OnlineForm, ServiceItem
from app.catalog.repository import ItemFilter
from app.catalog.schemas import (
    CatalogFacets,
    FacetValue,
    LocalDetail,
    LocalDetails,
    OnlineItem,
    ServiceItemDetail,
    ServiceItemSummary,
)
from app.catalog.taxonomy import Audience, Business, Nature
from app.core.errors import AppError, NotFound
from app.core.pagination import page_of
from app.core.schemas import Coded, Page


class ServiceItemNotFound(NotFound):
    code = "catalog.item_not_found"
    title = "未找到该事项"


class AgencyNotHandling(AppError):
    status = 422
    code = "catalog.agency_not_handling"
    title = "所选海事机构不受理该事项"


@dataclass(frozen=True)
class ItemQuery:
    """事项查询 as asked: the agency is a code here, checked (it exists and is open) by ``item_filter``."""

    q: str | None = None
    audience: Audience | None = None
    business: Business | None = None
    nature: Nature | None = None
    agency: str | None = None
    online: bool | None = None


async def item_filter(session: AsyncSession, query: ItemQuery) -> ItemFilter:
    if query.agency:
        await require_open_agency(session, query.agency)
    return ItemFilter(
        search=query.q,
        audience=query.audience,
        business=query.business,
        nature=query.nature,
        agency=query.agency,
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


async def item_guide(session: AsyncSession, code: str, agency: str | None = None) -> ServiceItemDetail:
    """The item's guide; for ``agency`` (an open unit that handles the item), localized with
    the unit's details (``localize``) and saying where each came from."""
    item = await repository.get_item(session, code)
    if item is None:
        raise ServiceItemNotFound(f"事项编码“{code}”不存在")
    guide, local_details = item.guide, None
    if agency is not None:
        guide, local_details = await _localized(session, item, agency)
    levels = sorted(
        (AgencyLevel(level) for level in await repository.item_levels(session, code)),
        key=list(AgencyLevel).index,
    )
    return ServiceItemDetail(
        **summary(item).model_dump(),
        handling_levels=[Coded.of(level) for level in levels],
        source=item.source,
        guide=guide,
        local_details=local_details,
    )


async def _localized(session: AsyncSession, item: ServiceItem, code: str) -> tuple[dict, LocalDetails]:
    unit = await require_open_agency(session, code)
    if not await handles(session, unit.code, item.code):
        raise AgencyNotHandling(f"{unit.name}不受理“{item.name}”，请选择受理该事项的海事机构")
    chain, agencies_by_code = [], {}
    current = unit
    while current is not None:
        detail = await session.get(AgencyItemDetail, (current.code, item.code))
        chain.append(agency_record(current, [], {item.code: detail_record(detail)} if detail else {}))
        agencies_by_code[current.code] = current
        current = await agencies.get_agency(session, current.parent_code) if current.parent_code else None
    found = local_values(item.code, chain)
    return localize(item.guide, item.code, chain), LocalDetails(
        agency=agency_ref(unit),
        **{
            detail: LocalDetail(value=value[0], agency=agency_ref(agencies_by_code[value[1]["code"]]))
            if value
            else None
            for detail, value in found.items()
        },
    )


async def item_agencies(session: AsyncSession, code: str) -> list[AgencyNode]:
    """The agency tree for choosing the unit that is to handle item ``code``: the open units
    that handle it (``handles_item``) and the units above them, to reach them."""
    if await repository.get_item(session, code) is None:
        raise ServiceItemNotFound(f"事项编码“{code}”不存在")
    return await agency_tree(session, await units_handling(session, code))


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
