from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.agencies.service import AgencyClosed, AgencyNotFound
from app.catalog import service
from app.agencies.schemas import AgencyNode
from app.catalog.schemas import CatalogFacets, OnlineItem, ServiceItemDetail, ServiceItemSummary
from app.catalog.service import ItemQuery
from app.catalog.taxonomy import Audience, Business, Nature
from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.read_cache import CACHED_RESPONSES, ReadCacheDep
from app.core.schemas import CODE_PATTERN, Page
from app.core.search import search_query

router = APIRouter(tags=["catalog"])


async def _item_query(
    q: search_query(
        "关键字：中文名称片段、全拼或拼音首字母（如 `船员`、`chuanyuan`、`cydj`）", "船员"
    ) = None,
    audience: Annotated[Audience | None, Query(description="个人办事 / 法人办事")] = None,
    business: Annotated[Business | None, Query(description="按业务分类")] = None,
    nature: Annotated[Nature | None, Query(description="按事项性质")] = None,
    agency: Annotated[
        str | None, Query(pattern=CODE_PATTERN, description="只返回该海事机构受理的事项", examples=["SH"])
    ] = None,
    online: Annotated[bool | None, Query(description="只返回可在线办理（或不可）的事项")] = None,
) -> ItemQuery:
    return ItemQuery(q=q, audience=audience, business=business, nature=nature, agency=agency, online=online)


ItemQueryDep = Annotated[ItemQuery, Depends(_item_query)]


@router.get(
    "/catalog/facets",
    summary="政务服务分类及事项数量",
    description="个人办事/法人办事、按业务（8 类）、按事项性质（4 类）与可在线办理的事项数；"
    "可用与事项列表相同的条件缩小范围（如 `agency`）。",
    response_model=CatalogFacets,
    responses={**CACHED_RESPONSES, **error_responses(AgencyNotFound, AgencyClosed)},
)
async def list_catalog_facets(request: Request, reads: ReadCacheDep, query: ItemQueryDep) -> Response:
    return await reads.respond(request, "catalog", lambda session: service.facets(session, query))


@router.get(
    "/catalog/items",
    summary="事项查询",
    response_model=Page[ServiceItemSummary],
    responses={**CACHED_RESPONSES, **error_responses(AgencyNotFound, AgencyClosed, InvalidCursor)},
)
async def list_catalog_items(
    request: Request,
    reads: ReadCacheDep,
    query: ItemQueryDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    return await reads.respond(
        request, "catalog", lambda session: service.search_items(session, query, cursor=cursor, limit=limit)
    )


@router.get(
    "/catalog/items/{code}",
    summary="办事指南",
    description="带 `agency` 时，指南的受理地点/办理时间、咨询电话与收费按该机构（或其最近的上级机构）"
    "公布的内容填入，`local_details` 说明各项的出处；该机构须未撤销且受理该事项。",
    response_model=ServiceItemDetail,
    responses={
        **CACHED_RESPONSES,
        **error_responses(
            service.ServiceItemNotFound, AgencyNotFound, AgencyClosed, service.AgencyNotHandling
        ),
    },
)
async def get_catalog_item(
    request: Request,
    reads: ReadCacheDep,
    code: Annotated[str, Path(pattern=CODE_PATTERN, examples=["TH-001"])],
    agency: Annotated[
        str | None,
        Query(pattern=CODE_PATTERN, description="受理机构代码：指南按该机构的地点、时间、电话与收费填写", examples=["SH"]),
    ] = None,
) -> Response:
    return await reads.respond(request, "catalog", lambda session: service.item_guide(session, code, agency))


@router.get(
    "/catalog/items/{code}/agencies",
    summary="受理该事项的海事机构（选择受理机构用）",
    description="未撤销且受理该事项的机构（`handles_item: true`），及通往它们的上级机构"
    "（`handles_item: false`，只供逐级查找），以嵌套的机构树给出。"
    "列出了受理事项（`items`）的机构只受理所列事项，其余机构受理其层级受理的事项（指南的行使层级）。",
    response_model=list[AgencyNode],
    responses={**CACHED_RESPONSES, **error_responses(service.ServiceItemNotFound)},
)
async def list_item_agencies(
    request: Request,
    reads: ReadCacheDep,
    code: Annotated[str, Path(pattern=CODE_PATTERN, examples=["TH-001"])],
) -> Response:
    return await reads.respond(request, "catalog", lambda session: service.item_agencies(session, code))


@router.get(
    "/online-items",
    summary="可在线办理的事项及其表单定义",
    tags=["online-items"],
    response_model=list[OnlineItem],
    responses=CACHED_RESPONSES,
)
async def list_online_items(request: Request, reads: ReadCacheDep) -> Response:
    return await reads.respond(request, "catalog", service.online_items)
