"""回访整改: the tasks bad ratings open for the staff member's agency subtree."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.agencies.service import agency_subtree
from app.auth.deps import AuditTrail, AuditTrailDep, Staff
from app.core.auth import ROLE_ERRORS
from app.core.db import SessionDep
from app.core.deps import PiiDep
from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import AppModel, Page
from app.evaluations import follow_ups
from app.evaluations.deps import FollowUpExpectedVersion, StaffFollowUp
from app.evaluations.follow_up_schemas import FollowUpDetail, FollowUpSummary, RectificationCreate, VisitCreate
from app.evaluations.models import FollowUp
from app.evaluations.state_machine import FollowUpInvalidTransition, FollowUpState

router = APIRouter(prefix="/staff/follow-ups", tags=["staff-applications"])
_WRITE_ERRORS = (
    *ROLE_ERRORS,
    follow_ups.FollowUpNotFound,
    FollowUpInvalidTransition,
    follow_ups.FollowUpVersionMismatch,
    follow_ups.FollowUpBusy,
)


class FollowUpCounts(AppModel):
    open: int
    overdue: int


@router.get(
    "",
    summary="回访整改任务（本机构及下级机构；未完成的在前，期限近的在前）",
    response_model=Page[FollowUpSummary],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_follow_ups(
    principal: Staff,
    session: SessionDep,
    state: Annotated[
        FollowUpState | None, Query(description="按状态筛选：pending 待回访、visited 待整改、closed 已完成")
    ] = None,
    overdue: Annotated[bool | None, Query(description="true 只看超期未完成的，false 不看它们")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[FollowUpSummary]:
    items, next_cursor = await follow_ups.list_follow_ups(
        session,
        agency_codes=await agency_subtree(session, principal.agency_code),
        state=state,
        overdue=overdue,
        cursor=cursor,
        limit=limit,
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/counts",
    summary="未完成与超期的回访整改任务数（菜单角标）",
    response_model=FollowUpCounts,
    responses=error_responses(*ROLE_ERRORS),
)
async def count_follow_ups(principal: Staff, session: SessionDep) -> FollowUpCounts:
    opened, overdue = await follow_ups.counts(session, await agency_subtree(session, principal.agency_code))
    return FollowUpCounts(open=opened, overdue=overdue)


@router.get(
    "/{follow_up_id}",
    summary="回访整改任务详情（含申请人联系方式，查看行为留痕）",
    response_model=FollowUpDetail,
    responses=error_responses(*ROLE_ERRORS, follow_ups.FollowUpNotFound),
)
async def get_follow_up(
    follow_up: StaffFollowUp, session: SessionDep, pii: PiiDep, trail: AuditTrailDep
) -> FollowUpDetail:
    return await _shown_in_full(session, pii, trail, follow_up)


async def _shown_in_full(session, pii, trail: AuditTrail, follow_up: FollowUp) -> FollowUpDetail:
    """The task with the applicant's contact in full: every such view is recorded."""
    trail.record("follow_up.personal_data_view", object_type="follow_up", object_id=follow_up.id)
    return await follow_ups.detail(session, pii, follow_up)


@router.post(
    "/{follow_up_id}/visit",
    summary="登记回访情况",
    response_model=FollowUpDetail,
    responses=error_responses(*_WRITE_ERRORS),
)
async def record_visit(
    body: VisitCreate,
    principal: Staff,
    session: SessionDep,
    pii: PiiDep,
    expected: FollowUpExpectedVersion,
    trail: AuditTrailDep,
    follow_up: StaffFollowUp,
) -> FollowUpDetail:
    state = await follow_ups.record_visit(session, follow_up, body, actor=principal, expected=expected)
    trail.record(
        "follow_up.visit",
        object_type="follow_up",
        object_id=follow_up.id,
        detail={"channel": body.channel.value, "to_state": state.value},
    )
    return await _shown_in_full(session, pii, trail, follow_up)


@router.post(
    "/{follow_up_id}/rectification",
    summary="登记整改结果（完成回访整改）",
    response_model=FollowUpDetail,
    responses=error_responses(*_WRITE_ERRORS),
)
async def record_rectification(
    body: RectificationCreate,
    principal: Staff,
    session: SessionDep,
    pii: PiiDep,
    expected: FollowUpExpectedVersion,
    trail: AuditTrailDep,
    follow_up: StaffFollowUp,
) -> FollowUpDetail:
    state = await follow_ups.record_rectification(session, follow_up, body, actor=principal, expected=expected)
    trail.record(
        "follow_up.rectification",
        object_type="follow_up",
        object_id=follow_up.id,
        detail={"applicant_satisfied": body.applicant_satisfied, "to_state": state.value},
    )
    return await _shown_in_full(session, pii, trail, follow_up)
