from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.agencies.service import AgencyNotFound
from app.catalog import service
from app.catalog.repository import ItemFilter
from app.catalog.schemas import CatalogFacets, OnlineItem, ServiceItemDetail, ServiceItemSummary
from app.catalog.taxonomy import Audience, Business, Nature
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.http_cache import cached_json
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import CODE_PATTERN, Page
from app.core.search import search_query

router = APIRouter(tags=["事项查询"])
NOT_MODIFIED = {304: {"description": "未修改（`If-None-Match` 命中）"}}


async def _item_filter(
    session: SessionDep,
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
) -> ItemFilter:
    return await service.item_filter(
        session, q=q, audience=audience, business=business, nature=nature, agency=agency, online=online
    )


ItemFilterDep = Annotated[ItemFilter, Depends(_item_filter)]


@router.get(
    "/catalog/facets",
    summary="政务服务分类及事项数量",
    description="个人办事/法人办事、按业务（8 类）、按事项性质（4 类）与可在线办理的事项数；"
    "可用与事项列表相同的条件缩小范围（如 `agency`）。",
    response_model=CatalogFacets,
    responses={**NOT_MODIFIED, **error_responses(AgencyNotFound)},
)
async def catalog_facets(request: Request, session: SessionDep, where: ItemFilterDep) -> Response:
    return cached_json(request, await service.facets(session, where))


@router.get(
    "/catalog/items",
    summary="事项查询",
    response_model=Page[ServiceItemSummary],
    responses={**NOT_MODIFIED, **error_responses(AgencyNotFound, InvalidCursor)},
)
async def list_items(
    request: Request,
    session: SessionDep,
    where: ItemFilterDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    page = await service.search_items(session, where, cursor=cursor, limit=limit)
    return cached_json(request, page)


@router.get(
    "/catalog/items/{code}",
    summary="办事指南",
    response_model=ServiceItemDetail,
    responses={**NOT_MODIFIED, **error_responses(service.ServiceItemNotFound)},
)
async def get_item(
    request: Request,
    session: SessionDep,
    code: Annotated[str, Path(pattern=CODE_PATTERN, examples=["TH-001"])],
) -> Response:
    return cached_json(request, await service.item_guide(session, code))


@router.get(
    "/online-items",
    summary="可在线办理的事项及其表单定义",
    tags=["在线办理"],
    response_model=list[OnlineItem],
    responses=NOT_MODIFIED,
)
async def list_online_items(request: Request, session: SessionDep) -> Response:
    return cached_json(request, await service.online_items(session))
