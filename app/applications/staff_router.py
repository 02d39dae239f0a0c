"""受理与审批: the queue of a staff member's agency subtree and the decisions on it."""

from typing import Annotated

from fastapi import APIRouter, Header, Response
from fastapi.responses import JSONResponse, StreamingResponse

from app.applications import presenter, service
from app.applications.decision_content import FilingNumberTaken
from app.applications.deps import (
    DeskDep,
    ExpectedVersion,
    QueueQueryDep,
    StaffApplication,
    StaffApplicationMaterial,
    StaffApplicationNotice,
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
from app.auth.deps import AuditTrailDep, Staff
from app.core.auth import ROLE_ERRORS
from app.core.errors import STORAGE_UNAVAILABLE, error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import Page
from app.dataset import guides
from app.dataset.schemas import ApplicationGuide
from app.dataset.service import VersionNotFound
from app.integrations.deps import AdaptersDep
from app.materials.responses import CONTENT_RESPONSES
from app.materials.service import MaterialNotFound

router = APIRouter(prefix="/staff/applications", tags=["staff-applications"])


@router.get(
    "",
    summary="受理队列（本机构及下级机构）",
    response_model=Page[ApplicationSummary],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_staff_applications(
    principal: Staff, desk: DeskDep, query: QueueQueryDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[ApplicationSummary]:
    rows, next_cursor = await service.queue(desk.session, principal, query, cursor=cursor, limit=limit)
    items = presenter.summaries(rows, viewer=Actor.staff, deadline_warning=desk.settings.deadline_warning_working_days)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/{application_id}",
    summary="办件详情（含申请人身份、完整联系方式与材料，查看行为留痕）",
    description="`applicant` 为申请人身份：个人用户的姓名与身份证号码，法人、船舶用户的单位名称、"
    "统一社会信用代码与经办人（含经办人身份证号码），均不脱敏。每次查看记入审计日志"
    "（`application.personal_data_view`，只记所示内容的类别，不记个人信息）。",
    response_model=StaffApplicationRead,
    responses=error_responses(*ROLE_ERRORS, service.ApplicationNotFound),
)
async def get_staff_application(application: StaffApplication, desk: DeskDep, trail: AuditTrailDep) -> JSONResponse:
    return await shown_in_full(desk, trail, application)


@router.post(
    "/{application_id}/decisions",
    summary="受理、不予受理、要求补正、办结或不予许可",
    response_model=StaffApplicationRead,
    responses=error_responses(
        *ROLE_ERRORS,
        service.ApplicationNotFound,
        InvalidTransition,
        service.VersionMismatch,
        service.ApplicationBusy,
        FilingNumberTaken,
    ),
)
async def decide_staff_application(
    body: Decision,
    principal: Staff,
    desk: DeskDep,
    expected: ExpectedVersion,
    trail: AuditTrailDep,
    application: StaffApplication,
) -> JSONResponse:
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
            *ROLE_ERRORS,
            service.ApplicationNotFound,
            InvalidTransition,
            service.VersionMismatch,
            FilingNumberTaken,
        ),
    },
)
async def preview_staff_decision(
    body: Decision,
    desk: DeskDep,
    expected: ExpectedVersion,
    trail: AuditTrailDep,
    application: StaffApplication,
) -> Response:
    return await decision_preview(desk, trail, application, body, expected)


@router.get(
    "/{application_id}/guide",
    summary="办件所依据的办事指南（提交时的数据版本）",
    description="按办件首次提交时的数据版本回答：受理条件、材料等以申请人提交时看到的为准。",
    response_model=ApplicationGuide,
    responses=error_responses(*ROLE_ERRORS, service.ApplicationNotFound, VersionNotFound),
)
async def get_staff_application_guide(application: StaffApplication, desk: DeskDep) -> ApplicationGuide:
    return await guides.application_guide(
        desk.session, application.dataset_version, application.item_code, application.agency_code
    )


@router.get(
    "/{application_id}/notices/{notice_id}",
    summary="查看通知书（JSON 或 PDF）",
    response_model=NoticeRead,
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        **error_responses(*ROLE_ERRORS, service.ApplicationNotFound, service.NoticeNotFound),
    },
)
async def get_staff_application_notice(
    application: StaffApplication,
    notice: StaffApplicationNotice,
    trail: AuditTrailDep,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    return await notice_download(trail, application, notice, accept)


@router.get(
    "/{application_id}/materials/{material_id}/content",
    summary="查看申请材料",
    response_class=StreamingResponse,
    responses={
        **CONTENT_RESPONSES,
        **error_responses(*ROLE_ERRORS, service.ApplicationNotFound, MaterialNotFound, *STORAGE_UNAVAILABLE),
    },
)
async def get_staff_application_material(
    application: StaffApplication,
    material: StaffApplicationMaterial,
    adapters: AdaptersDep,
    trail: AuditTrailDep,
) -> Response:
    return await material_download(adapters.storage, trail, application, material)
