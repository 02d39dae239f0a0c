"""我要评 / 我的评价, and the evaluations staff see for their agencies."""

from fastapi import APIRouter, status

from app.agencies.service import agency_subtree
from app.applications.deps import OwnedApplication
from app.applications.service import ApplicationNotFound
from app.auth.deps import Applicant, AuditTrailDep, Staff
from app.core.auth import ROLE_ERRORS
from app.core.db import SessionDep
from app.core.deps import SettingsDep
from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import Page
from app.evaluations import service
from app.evaluations.schemas import EvaluationCreate, EvaluationRead

router = APIRouter(tags=["evaluations"])


@router.post(
    "/applications/{application_id}/evaluation",
    summary="好差评（办结后每件一次）",
    status_code=status.HTTP_201_CREATED,
    response_model=EvaluationRead,
    responses=error_responses(
        *ROLE_ERRORS, ApplicationNotFound, service.NotYetFinished, service.AlreadyEvaluated
    ),
)
async def evaluate_application(
    application: OwnedApplication, body: EvaluationCreate, session: SessionDep, settings: SettingsDep
) -> EvaluationRead:
    evaluation = await service.evaluate(session, settings, application, body)
    return await service.evaluation_read(session, evaluation)


@router.get(
    "/me/evaluations",
    summary="我的评价",
    response_model=Page[EvaluationRead],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_my_evaluations(
    principal: Applicant, session: SessionDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[EvaluationRead]:
    items, next_cursor = await service.list_evaluations(
        session, evaluator_id=principal.user_id, cursor=cursor, limit=limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/staff/evaluations",
    summary="本机构及下级机构收到的评价",
    tags=["staff-applications"],
    response_model=Page[EvaluationRead],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_agency_evaluations(
    principal: Staff,
    session: SessionDep,
    trail: AuditTrailDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[EvaluationRead]:
    items, next_cursor = await service.list_evaluations(
        session, agency_codes=await agency_subtree(session, principal.agency_code), cursor=cursor, limit=limit
    )
    trail.record("evaluation.staff_view", detail={"evaluation_ids": [item.id for item in items]})
    return Page(items=items, next_cursor=next_cursor)
