"""受理与审批 from the authority's back office: a machine client (系统对接) lists and reads the
applications of its agency's subtree (`applications:read`) and records decisions on them
(`applications:decide`) exactly as staff do at the workbench: the same state machine, checks,
notices, messages to the applicant and audit, with the client as the actor."""

from typing import Annotated

from fastapi import APIRouter, Header, Response
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import presenter, service
from app.applications.decision_content import FilingNumberTaken
from app.applications.deps import (
    BackOfficeQueueQuery,
    DecidableApplication,
    DeskDep,
    ExpectedVersion,
    ReadableApplication,
    ReadableApplicationMaterial,
    ReadableApplicationNotice,
)
from app.applications.responses import (
    PREVIEW_PDF,
    decision_preview,
    material_download,
    notice_download,
    record_decision,
    shown_in_full,
)
from app.applications.schemas import ApplicationSummary, Decision, NoticeRead, StaffApplicationRead
from app.applications.state_machine import Actor, InvalidTransition
from app.auth.deps import ApplicationsDecider, ApplicationsReader, AuditTrail
from app.core.auth import CLIENT_ERRORS, Principal
from app.core.deps import ClientIp
from app.core.errors import STORAGE_UNAVAILABLE, error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import Page
from app.integrations.deps import AdaptersDep
from app.materials.responses import CONTENT_RESPONSES
from app.materials.service import MaterialNotFound

router = APIRouter(prefix="/backoffice/applications", tags=["backoffice"])


def _trail(session: AsyncSession, principal: Principal, ip: str) -> AuditTrail:
    # The client is the actor in the trail, as a staff member is at the workbench.
    return AuditTrail(session, principal.user_id, ip)


@router.get(
    "",
    summary="本机构及下级机构的办件（供业务系统轮询）",
    description="与受理队列相同的筛选与分页；`updated_since` 只列出其后有变化的办件。",
    response_model=Page[ApplicationSummary],
    responses=error_responses(*CLIENT_ERRORS, InvalidCursor),
)
async def backoffice_list_applications(
    principal: ApplicationsReader,
    desk: DeskDep,
    query: BackOfficeQueueQuery,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[ApplicationSummary]:
    rows, next_cursor = await service.queue(desk.session, principal, query, cursor=cursor, limit=limit)
    items = presenter.summaries(rows, viewer=Actor.staff, deadline_warning=desk.settings.deadline_warning_working_days)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/{application_id}",
    summary="办件详情（含申请人身份，供登记许可；查看行为留痕）",
    description="与受理人员所见相同：`allowed_actions`、表单、材料、通知书、办理过程，以及不脱敏的申请人身份"
    "（业务系统登记许可证所需）。每次查看记入审计日志（`application.personal_data_view`，操作人为该客户端）。",
    response_model=StaffApplicationRead,
    responses=error_responses(*CLIENT_ERRORS, service.ApplicationNotFound),
)
async def backoffice_get_application(
    principal: ApplicationsReader, application: ReadableApplication, desk: DeskDep, ip: ClientIp
) -> JSONResponse:
    return await shown_in_full(desk, _trail(desk.session, principal, ip), application)


@router.post(
    "/{application_id}/decisions",
    summary="作出决定：受理、不予受理、要求补正、办结或不予许可",
    description="与受理人员在工作台作出决定相同（同一状态机、校验、通知书与申请人消息）；"
    "`If-Match` 为上次读取的 `version`，已被修改时拒绝。",
    response_model=StaffApplicationRead,
    responses=error_responses(
        *CLIENT_ERRORS,
        service.ApplicationNotFound,
        InvalidTransition,
        service.VersionMismatch,
        service.ApplicationBusy,
        FilingNumberTaken,
    ),
)
async def backoffice_decide(
    body: Decision,
    principal: ApplicationsDecider,
    application: DecidableApplication,
    desk: DeskDep,
    expected: ExpectedVersion,
    ip: ClientIp,
) -> JSONResponse:
    trail = _trail(desk.session, principal, ip)
    step = await service.decide(desk, application, principal, body, expected)
    record_decision(trail, application, step, body)
    return await shown_in_full(desk, trail, application)


@router.post(
    "/{application_id}/decisions/preview",
    summary="预览决定将出具的文书（PDF，不作出决定、不留存）",
    response_class=Response,
    responses={
        **PREVIEW_PDF,
        **error_responses(
            *CLIENT_ERRORS,
            service.ApplicationNotFound,
            InvalidTransition,
            service.VersionMismatch,
            FilingNumberTaken,
        ),
    },
)
async def backoffice_preview_decision(
    body: Decision,
    principal: ApplicationsDecider,
    application: DecidableApplication,
    desk: DeskDep,
    expected: ExpectedVersion,
    ip: ClientIp,
) -> Response:
    return await decision_preview(desk, _trail(desk.session, principal, ip), application, body, expected)


@router.get(
    "/{application_id}/notices/{notice_id}",
    summary="查看通知书（JSON 或 PDF）",
    response_model=NoticeRead,
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        **error_responses(*CLIENT_ERRORS, service.ApplicationNotFound, service.NoticeNotFound),
    },
)
async def backoffice_get_notice(
    principal: ApplicationsReader,
    application: ReadableApplication,
    notice: ReadableApplicationNotice,
    desk: DeskDep,
    ip: ClientIp,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    return await notice_download(_trail(desk.session, principal, ip), application, notice, accept)


@router.get(
    "/{application_id}/materials/{material_id}/content",
    summary="下载申请材料",
    response_class=StreamingResponse,
    responses={
        **CONTENT_RESPONSES,
        **error_responses(
            *CLIENT_ERRORS, service.ApplicationNotFound, MaterialNotFound, *STORAGE_UNAVAILABLE
        ),
    },
)
async def backoffice_get_material_content(
    principal: ApplicationsReader,
    application: ReadableApplication,
    material: ReadableApplicationMaterial,
    adapters: AdaptersDep,
    desk: DeskDep,
    ip: ClientIp,
) -> Response:
    trail = _trail(desk.session, principal, ip)
    return await material_download(adapters.storage, trail, application, material)
