"""统计分析: GET /staff/statistics for the caller's agency subtree."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.agencies.service import AgencyNotFound
from app.auth.deps import Staff
from app.core.auth import ROLE_ERRORS
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.schemas import CODE_PATTERN, WrittenDate
from app.statistics import service
from app.statistics.schemas import Statistics

router = APIRouter(prefix="/staff/statistics", tags=["staff-applications"])


@router.get(
    "",
    summary="统计分析（本机构及下级机构）",
    description=(
        "收件、受理、办结、平均办理工作日与好评率，合计、按事项、按月（北京时间）。"
        f"期间默认为今年；截止日期不能早于开始日期（`invalid_range`），期间最长 {service.MAX_MONTHS} 个月"
        "（按起止日期所在月份计，含两端；超出为 `period_too_long`）。"
        "只填开始日期时截止到当年 12 月 31 日，只填截止日期时从当年 1 月 1 日起。"
        "所选机构须在本人机构范围内，否则为 404。"
    ),
    response_model=Statistics,
    responses=error_responses(*ROLE_ERRORS, AgencyNotFound),
)
async def get_statistics(
    principal: Staff,
    session: SessionDep,
    period_from: Annotated[
        WrittenDate | None, Query(description="统计期间起（含，北京时间）", examples=["2026-01-01"])
    ] = None,
    period_to: Annotated[
        WrittenDate | None, Query(description="统计期间止（含，北京时间）", examples=["2026-12-31"])
    ] = None,
    agency_code: Annotated[
        str | None,
        Query(pattern=CODE_PATTERN, description="只统计该机构及其下级机构（须在本人机构范围内）", examples=["SH"]),
    ] = None,
    item_code: Annotated[
        str | None, Query(pattern=CODE_PATTERN, description="只统计该事项（事项编码）", examples=["TH-002"])
    ] = None,
) -> Statistics:
    return await service.statistics(
        session,
        caller_agency=principal.agency_code,
        agency_code=agency_code,
        item_code=item_code,
        period_from=period_from,
        period_to=period_to,
    )
