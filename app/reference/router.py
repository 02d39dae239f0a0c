"""GET /reference/{list}: one generic endpoint shape for every pick list."""

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.read_cache import CACHED_RESPONSES, ReadCacheDep
from app.core.schemas import Page
from app.core.search import search_query
from app.reference import repository
from app.reference.models import Country, FuelSupplier, Port, RegulationItem
from app.reference.schemas import CountryRead, FuelSupplierRead, PortRead, RegulationItemRead

router = APIRouter(prefix="/reference", tags=["reference"])

SearchQuery = search_query("按中文名、英文名、拼音或代码查找", "上海")


def _add_pick_list(path: str, model: type, schema: type[BaseModel], summary: str) -> None:
    async def endpoint(
        request: Request,
        reads: ReadCacheDep,
        q: SearchQuery = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Response:
        async def produce(session: AsyncSession) -> Page:
            rows, next_cursor = await repository.search(session, model, q, cursor=cursor, limit=limit)
            return Page[schema](items=[schema.model_validate(row) for row in rows], next_cursor=next_cursor)

        return await reads.respond(request, "reference", produce)

    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        summary=summary,
        response_model=Page[schema],
        responses={**CACHED_RESPONSES, **error_responses(InvalidCursor)},
        name=f"list_{path.strip('/').replace('-', '_')}",
    )


_add_pick_list("/ports", Port, PortRead, "港口（沿海、内河与主要境外加油港）")
_add_pick_list("/countries", Country, CountryRead, "国家和地区（ISO 3166-1）")
_add_pick_list("/fuel-suppliers", FuelSupplier, FuelSupplierRead, "燃油供应商")
_add_pick_list("/regulation-items", RegulationItem, RegulationItemRead, "不符合的规定项")
