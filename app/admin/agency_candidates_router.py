"""系统管理员: 待确认的海事机构 — units public sources name with low confidence."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from app.admin import agency_candidates
from app.admin.deps import SystemAdmin
from app.admin.schemas import AgencyCandidateConfirmation, AgencyCandidateRead
from app.agencies.models import AgencyCandidate, CandidateStatus
from app.agencies.schemas import AgencyDetail
from app.core.auth import ROLE_ERRORS
from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import CODE_PATTERN, Page

router = APIRouter(prefix="/admin/agency-candidates", tags=["admin-agencies"])

CandidateCode = Annotated[
    str, Path(pattern=CODE_PATTERN, description="待确认机构的代码", examples=["CJ-CQ-WZ"])
]


def _candidate_to_decide(event: str):
    async def candidate_to_decide(action: SystemAdmin, code: CandidateCode) -> AgencyCandidate:
        return await agency_candidates.candidate_to_decide(action, code, event)

    return Annotated[AgencyCandidate, Depends(candidate_to_decide)]


CandidateToConfirm = _candidate_to_decide("admin.agency_candidate_confirm")
CandidateToDismiss = _candidate_to_decide("admin.agency_candidate_dismiss")
DECIDE_ERRORS = (
    *ROLE_ERRORS,
    agency_candidates.AgencyCandidateNotFound,
    agency_candidates.AgencyCandidateDecided,
)
HIDDEN = "待确认的机构不出现在机构树、机构查询、事项筛选、办件受理机构与人员所属机构中，确认后才公开。"


@router.get(
    "",
    summary="待确认的海事机构（按来源整理顺序）",
    description="公开来源中可信度低的机构：所列来源、可信度、整理说明与拟定上级。" + HIDDEN,
    response_model=Page[AgencyCandidateRead],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_agency_candidates(
    action: SystemAdmin,
    status: Annotated[CandidateStatus | None, Query(description="按状态筛选")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[AgencyCandidateRead]:
    items, next_cursor = await agency_candidates.candidates_page(
        action.session, status, cursor=cursor, limit=limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/{code}/confirm",
    summary="确认待确认的海事机构（立即公开）",
    description="可同时更正名称、简称、上级机构、地址与电话；上级须为已公开的海事机构且层级高于该机构。"
    "确认后该机构立即出现在机构树中，可被选为受理机构、用于事项筛选和人员所属机构。记入审计记录。",
    response_model=AgencyDetail,
    responses=error_responses(*DECIDE_ERRORS, agency_candidates.AgencyNameTaken),
)
async def confirm_agency_candidate(
    action: SystemAdmin, candidate: CandidateToConfirm, body: AgencyCandidateConfirmation | None = None
) -> AgencyDetail:
    return await agency_candidates.confirm(action, candidate, body or AgencyCandidateConfirmation())


@router.post(
    "/{code}/dismiss",
    summary="驳回待确认的海事机构",
    description="驳回的机构仍保存（不再列为待确认、重新加载初始数据也不会再提供），但永不公开。记入审计记录。",
    response_model=AgencyCandidateRead,
    responses=error_responses(*DECIDE_ERRORS),
)
async def dismiss_agency_candidate(action: SystemAdmin, candidate: CandidateToDismiss) -> AgencyCandidateRead:
    return await agency_candidates.dismiss(action, candidate)
