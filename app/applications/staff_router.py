"""受理与审批: the queue of a staff member's agency subtree and the decisions on it."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse, StreamingResponse

from app.agencies.service import agency_subtree
from app.applications import deadlines, presenter, service
from app.applications.decision_content import FilingNumberTaken
from app.applications.deps import (
    DeskDep,
    ExpectedVersion,
    StaffApplication,
    StaffApplicationMaterial,
    StaffApplicationNotice,
)
from app.applications.models import Application
from app.applications.responses import application_body, application_response, notice_download
from app.applications.schemas import ApplicationSummary, Decision, NoticeRead, StaffApplicationRead
from app.applications.service import Desk
from app.applications.state_machine import Action, Actor, InvalidTransition, Status
from app.auth.deps import AuditTrail, AuditTrailDep, Staff
from app.core.auth import ROLE_ERRORS
from app.core.errors import STORAGE_UNAVAILABLE, error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import CHINA_TIME, CODE_PATTERN, INVISIBLE_CHARACTER_CLASS, Page, WrittenDate
from app.integrations.deps import AdaptersDep
from app.materials.responses import CONTENT_RESPONSES
from app.materials.responses import material_content as material_content_response
from app.materials.service import MaterialNotFound

router = APIRouter(prefix="/staff/applications", tags=["staff-applications"])
# A name as typed: no control characters (PostgreSQL refuses NUL), nothing invisible.
_TYPED_NAME = rf"^[^\x00-\x1f\x7f{INVISIBLE_CHARACTER_CLASS}]*$"


@router.get(
    "",
    summary="受理队列（本机构及下级机构）",
    response_model=Page[ApplicationSummary],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_staff_applications(
    principal: Staff,
    desk: DeskDep,
    status_filter: Annotated[
        Status | None, Query(alias="status", description="按状态筛选，如 submitted")
    ] = None,
    item_code: Annotated[
        str | None, Query(pattern=CODE_PATTERN, description="按事项筛选（事项编码）", examples=["TH-002"])
    ] = None,
    agency_code: Annotated[
        str | None,
        Query(pattern=CODE_PATTERN, description="只看该机构及其下级机构（须在本人机构范围内）", examples=["SH"]),
    ] = None,
    number: Annotated[
        str | None, Query(pattern=r"^HS[0-9]{14}$", description="按申请编号查找", examples=["HS20261127042817"])
    ] = None,
    applicant: Annotated[
        str | None,
        Query(
            min_length=1, max_length=64, pattern=_TYPED_NAME, description="按申请联系人姓名查找（完全一致）"
        ),
    ] = None,
    submitted_from: Annotated[
        WrittenDate | None, Query(description="提交日期起（含，北京时间）", examples=["2026-12-01"])
    ] = None,
    submitted_to: Annotated[
        WrittenDate | None, Query(description="提交日期止（含，北京时间）", examples=["2026-12-31"])
    ] = None,
    due: Annotated[
        Literal["overdue", "due_soon"] | None,
        Query(
            description="按办结时限筛选（仅计时中的办件）：overdue 已超期；due_soon 即将到期"
            "（今日起剩余工作日不超过预警天数 DEADLINE_WARNING_WORKING_DAYS，默认 3）"
        ),
    ] = None,
    sort: Annotated[
        Literal["newest", "deadline"],
        Query(
            description="排序：newest 最新在前（默认）；deadline 承诺办结日期最早在前，"
            "暂停计时、已办结及无办结时限的排在最后"
        ),
    ] = "newest",
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[ApplicationSummary]:
    agencies = await agency_subtree(desk.session, principal.agency_code)
    if agency_code is not None:
        agencies &= await agency_subtree(desk.session, agency_code)
    rows, next_cursor = await service.list_applications(
        desk.session,
        agency_codes=agencies,
        status=status_filter,
        cursor=cursor,
        limit=limit,
        queue_filter=service.QueueFilter(
            item_code=item_code,
            number=number,
            contact_name=applicant,
            submitted_from=_china_midnight(submitted_from),
            submitted_before=_china_midnight(submitted_to, days_later=1),
            **_due_window(due, desk.settings.deadline_warning_working_days),
        ),
        by_deadline=sort == "deadline",
    )
    items = await presenter.summaries(
        desk.session, rows, viewer=Actor.staff, deadline_warning=desk.settings.deadline_warning_working_days
    )
    return Page(items=items, next_cursor=next_cursor)


def _due_window(due: str | None, warning_days: int) -> dict[str, date]:
    """超期: due before today; 即将到期: due from today on, at most ``warning_days`` working days left."""
    today = deadlines.today()
    if due == "overdue":
        return {"due_before": today}
    if due == "due_soon":
        return {"due_from": today, "due_before": deadlines.soon_before(today, warning_days)}
    return {}


def _china_midnight(day: date | None, *, days_later: int = 0) -> datetime | None:
    """The start of ``day`` (plus ``days_later``) in Beijing time, in UTC: dates staff pick are
    Beijing dates. None past the calendar's ends (0001-01-01, 9999-12-31): no bound there."""
    if day is None:
        return None
    try:
        return datetime.combine(day + timedelta(days=days_later), time(), CHINA_TIME).astimezone(UTC)
    except OverflowError:
        return None


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
    return await _shown_in_full(desk, trail, application)


async def _shown_in_full(desk: Desk, trail: AuditTrail, application: Application) -> JSONResponse:
    """The application with the applicant's identity and unmasked contact details: every such
    view is recorded, with what was shown (never the values themselves)."""
    body = await application_body(desk, application, Actor.staff)
    identity = await presenter.applicant_identity(desk.session, desk.pii, application)
    body["applicant"] = identity.model_dump(mode="json") if identity else None
    trail.record(
        "application.personal_data_view",
        object_type="application",
        object_id=application.id,
        detail={
            "shown": ["identity", "contact"] if identity else ["contact"],
            "account_type": identity.account_type.code if identity else None,
        },
    )
    return application_response(body)


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
    step = await service.act(
        desk,
        application,
        Action(body.action),
        actor=Actor.staff,
        actor_id=principal.user_id,
        actor_role=principal.role,
        expected=expected,
        decision=body,
    )
    trail.record(
        "application.decision",
        object_type="application",
        object_id=application.id,
        detail={
            "action": step.action.value,
            "from_status": step.source.value,
            "to_status": step.target.value,
            # Which content the decision carried, never the content itself (names, places …).
            **({"content": keys} if (keys := _content_keys(body)) else {}),
        },
    )
    return await _shown_in_full(desk, trail, application)


def _content_keys(body: Decision) -> list[str]:
    return [key for key in ("licence", "filing_number", "denial") if getattr(body, key) is not None]


@router.post(
    "/{application_id}/decisions/preview",
    summary="预览决定将出具的文书（PDF，不作出决定、不留存）",
    response_class=Response,
    responses={
        200: {
            "description": "该决定将出具的文书（PDF）",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
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
    pdf = await service.preview_decision(desk, application, body, expected)
    # The document names the applicant: seeing it is a view of personal data, like the detail.
    trail.record(
        "application.decision_preview",
        object_type="application",
        object_id=application.id,
        detail={"action": body.action},
    )
    return Response(pdf, media_type="application/pdf", headers={"Cache-Control": "no-store"})


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
    trail.record(
        "application.material_download",
        object_type="application",
        object_id=application.id,
        detail={"material_id": material.id},
    )
    return await material_content_response(adapters.storage, material)
