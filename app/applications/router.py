"""在线办理 and 我的办件 (manual §3.4, §3.3.2): the applicant's side of an application."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import JSONResponse

from app.applications import presenter, service
from app.applications.deps import (
    DeskDep,
    ExpectedVersion,
    OwnedApplication,
    OwnedApplicationNotice,
    OwnedApplicationRow,
)
from app.applications.responses import application_body, application_response, notice_download
from app.applications.schemas import (
    ApplicationCreate,
    ApplicationDraft,
    ApplicationRead,
    ApplicationSummary,
    NoticeRead,
    NoticeSummary,
)
from app.applications.state_machine import Action, Actor, InvalidTransition, Status
from app.auth.deps import Applicant, AuditTrailDep
from app.certificates.deps import OwnedCertificate
from app.certificates.service import CertificateNotFound, NoDocument
from app.core import idempotency
from app.core.auth import ROLE_ERRORS, SIGNED_IN_ERRORS, Principal
from app.core.errors import error_responses
from app.core.idempotency import IdempotencyInProgress, IdempotencyKey, IdempotencyKeyReused
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import Page
from app.dataset import guides
from app.dataset.schemas import ApplicationGuide
from app.dataset.service import VersionNotFound

router = APIRouter(tags=["applications"])
CHANGE_ERRORS = (
    *ROLE_ERRORS,
    service.ApplicationNotFound,
    InvalidTransition,
    service.VersionMismatch,
    service.ApplicationBusy,
)
IDEMPOTENCY_ERRORS = (IdempotencyKeyReused, IdempotencyInProgress)


async def _idempotent(desk, principal: Principal, key: str | None, fingerprint: str, status_code: int, work):
    """Run ``work`` (returning a response body) once per Idempotency-Key; replay it afterwards."""
    if key:
        previous = await idempotency.previous_response(desk.session, principal.user_id, key, fingerprint)
        if previous is not None:
            return application_response(previous.body, previous.status_code)
    body = await work()
    if key:
        await idempotency.remember(desk.session, principal.user_id, key, fingerprint, status_code, body)
    return application_response(body, status_code)


@router.post(
    "/applications",
    summary="保存办件（草稿）",
    description="保存时表单可以不完整，提交时再完整校验。",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationRead,
    responses=error_responses(*ROLE_ERRORS, service.ItemNotOnline, *IDEMPOTENCY_ERRORS),
)
async def create_application(
    body: ApplicationCreate, principal: Applicant, desk: DeskDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    async def work() -> dict:
        application = await service.create(desk, principal.user_id, body)
        return await application_body(desk, application, Actor.applicant)

    fingerprint = idempotency.fingerprint("create", body.model_dump_json())
    return await _idempotent(desk, principal, idempotency_key, fingerprint, status.HTTP_201_CREATED, work)


@router.get(
    "/me/applications",
    summary="我的办件",
    response_model=Page[ApplicationSummary],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_my_applications(
    principal: Applicant,
    desk: DeskDep,
    status_filter: Annotated[Status | None, Query(alias="status", description="按状态筛选")] = None,
    finished: Annotated[
        bool | None,
        Query(description="true：只列已办结、不予受理、不予许可的办件（我要评）；false：只列其余办件"),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[ApplicationSummary]:
    rows, next_cursor = await service.list_applications(
        desk.session,
        applicant_id=principal.user_id,
        status=status_filter,
        finished=finished,
        cursor=cursor,
        limit=limit,
    )
    items = presenter.summaries(rows, viewer=Actor.applicant)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/applications/{application_id}",
    summary="办件详情（状态、时间线、可执行操作）",
    response_model=ApplicationRead,
    responses=error_responses(*ROLE_ERRORS, service.ApplicationNotFound),
)
async def get_application(application: OwnedApplicationRow, desk: DeskDep) -> JSONResponse:
    return application_response(await application_body(desk, application, Actor.applicant))


@router.put(
    "/applications/{application_id}",
    summary="编辑办件",
    response_model=ApplicationRead,
    responses=error_responses(*CHANGE_ERRORS, service.NotEditable),
)
async def edit_application(
    body: ApplicationDraft, desk: DeskDep, expected: ExpectedVersion, application: OwnedApplication
) -> JSONResponse:
    await service.update(desk, application, body, expected)
    return application_response(await application_body(desk, application, Actor.applicant))


@router.delete(
    "/applications/{application_id}",
    summary="删除未提交过的草稿",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*CHANGE_ERRORS, service.NotDiscardable),
)
async def discard_application(
    desk: DeskDep, expected: ExpectedVersion, application: OwnedApplication
) -> Response:
    await service.discard(desk.session, application, expected)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _applicant_action(action: Action, summary: str, description: str) -> None:
    async def endpoint(
        principal: Applicant,
        desk: DeskDep,
        expected: ExpectedVersion,
        application: OwnedApplication,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        async def work() -> dict:
            await service.act(
                desk,
                application,
                action,
                actor=Actor.applicant,
                actor_id=principal.user_id,
                actor_role=principal.role,
                expected=expected,
            )
            return await application_body(desk, application, Actor.applicant)

        fingerprint = idempotency.fingerprint(action, application.id)
        return await _idempotent(desk, principal, idempotency_key, fingerprint, status.HTTP_200_OK, work)

    router.add_api_route(
        f"/applications/{{application_id}}/{action.value}",
        endpoint,
        methods=["POST"],
        summary=summary,
        description=description,
        response_model=ApplicationRead,
        responses=error_responses(*CHANGE_ERRORS, *IDEMPOTENCY_ERRORS),
        name=f"{action.value}_application",
    )


_applicant_action(
    Action.submit, "提交办件", "完整校验表单、必需材料、联系人与受理机构后提交；首次提交时生成申请编号。"
)
_applicant_action(Action.cancel, "取消已提交的办件", "适用于提交后可取消的事项；取消后可重新编辑再次提交。")
_applicant_action(Action.withdraw, "撤回已提交的办件", "适用于应急预案备案事项；撤回后可重新编辑再次提交。")


@router.get(
    "/applications/{application_id}/guide",
    summary="办件所依据的办事指南（提交时的数据版本）",
    description="提交后按首次提交时的数据版本回答（之后发布的修改不影响已提交的办件）；未提交的办件为当前版本。",
    response_model=ApplicationGuide,
    responses=error_responses(*ROLE_ERRORS, service.ApplicationNotFound, VersionNotFound),
)
async def get_application_guide(application: OwnedApplication, desk: DeskDep) -> ApplicationGuide:
    return await guides.application_guide(
        desk.session, application.dataset_version, application.item_code, application.agency_code
    )


@router.get(
    "/applications/{application_id}/notices",
    summary="办件的通知书",
    response_model=list[NoticeSummary],
    responses=error_responses(*ROLE_ERRORS, service.ApplicationNotFound),
)
async def list_application_notices(application: OwnedApplication, desk: DeskDep) -> list[NoticeSummary]:
    return (await presenter.detail(desk.session, desk.pii, application, viewer=Actor.applicant)).notices


@router.get(
    "/applications/{application_id}/notices/{notice_id}",
    summary="查看通知书（JSON 或 PDF）",
    description="`Accept: application/pdf` 时返回 PDF，供小程序 `wx.downloadFile` + `wx.openDocument` 打开。",
    response_model=NoticeRead,
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        **error_responses(*ROLE_ERRORS, service.ApplicationNotFound, service.NoticeNotFound),
    },
)
async def get_application_notice(
    application: OwnedApplication,
    notice: OwnedApplicationNotice,
    trail: AuditTrailDep,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    return await notice_download(trail, application, notice, accept)


@router.get(
    "/me/certificates/{certificate_id}/document",
    tags=["certificates"],
    summary="结果文书 PDF（决定书、备案证明等）",
    description="类型为 `RESULT_DOCUMENT` 的证照对应的办件结果文书，供 `wx.downloadFile` + "
    "`wx.openDocument` 打开；其他类型的证照没有结果文书（404 `certificate.no_document`）。",
    response_class=Response,
    responses={
        200: {
            "description": "结果文书 PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        **error_responses(*SIGNED_IN_ERRORS, CertificateNotFound, NoDocument),
    },
)
async def get_certificate_document(certificate: OwnedCertificate, desk: DeskDep, trail: AuditTrailDep) -> Response:
    application, notice = await service.result_document(desk.session, certificate)
    return await notice_download(trail, application, notice, "application/pdf")
