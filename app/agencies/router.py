from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.agencies import service
from app.agencies.schemas import AgencyDetail, AgencyMatch, AgencyNode
from app.core.errors import error_responses
from app.core.read_cache import CACHED_RESPONSES, ReadCacheDep
from app.core.schemas import CODE_PATTERN
from app.core.search import search_query

router = APIRouter(prefix="/agencies", tags=["agencies"])

AgencyCode = Annotated[str, Path(pattern=CODE_PATTERN, examples=["SH"])]


@router.get(
    "",
    summary="海事机构树",
    description="不带 `q` 时返回完整的机构树（嵌套 `children`）；带 `q` 时按名称查找，"
    "返回匹配的机构及其上级路径 `ancestors`。已撤销（`closed_on` 不晚于今天）的机构不在其中。"
    "支持 `ETag` / `If-None-Match`。",
    response_model=list[AgencyNode] | list[AgencyMatch],
    responses={**CACHED_RESPONSES, **error_responses()},
)
async def list_agencies(
    request: Request,
    reads: ReadCacheDep,
    q: search_query("机构名称关键字", "上海", max_length=32) = None,
) -> Response:
    if q is None:
        return await reads.respond(request, "agencies", service.agency_tree)
    return await reads.respond(request, "agencies", lambda session: service.search_agencies(session, q))


@router.get(
    "/{code}",
    summary="海事机构详情（含上级路径与直接下级）",
    description="已撤销的机构仍按代码应答（带 `closed_on`），以便旧申请显示其受理机构。",
    response_model=AgencyDetail,
    responses={**CACHED_RESPONSES, **error_responses(service.AgencyNotFound)},
)
async def get_agency(request: Request, reads: ReadCacheDep, code: AgencyCode) -> Response:
    return await reads.respond(request, "agencies", lambda session: service.agency_detail(session, code))
