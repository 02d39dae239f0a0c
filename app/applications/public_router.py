"""办件查询 (manual §3.1.4.1): application number + contact phone, no login, nothing personal."""

from fastapi import APIRouter
from sqlalchemy import select

from app.agencies.models import Agency
from app.applications import presenter
from app.applications.models import Application
from app.applications.schemas import PublicProgress, PublicProgressQuery
from app.applications.service import CONTACT_PHONE
from app.applications.state_machine import Status
from app.catalog.models import ServiceItem
from app.core import throttle
from app.core.db import SessionDep
from app.core.deps import ClientIp, PiiDep, SettingsDep
from app.core.errors import NotFound, error_responses
from app.core.schemas import Coded
from app.core.throttle import RateLimited

router = APIRouter(prefix="/public", tags=["便民查询"])


class ProgressNotFound(NotFound):
    code = "progress.not_found"
    title = "未查询到办件，请核对申请编号和手机号码"
    keep_changes = True  # a wrong guess still counts against the rate limits


@router.post(
    "/progress",
    summary="办件查询（无需登录）",
    description="申请编号与联系人手机号码均正确时返回办件状态与进度；任一不符时返回相同的 404。"
    "按来源地址限制查询频率；同一来源地址对同一申请编号每天查询不符的次数另有上限，"
    "其他地址的错误查询不影响正确查询。",
    response_model=PublicProgress,
    responses=error_responses(ProgressNotFound, RateLimited),
)
async def progress(
    body: PublicProgressQuery, session: SessionDep, settings: SettingsDep, pii: PiiDep, ip: ClientIp
) -> PublicProgress:
    await throttle.public_lookup(session, settings, "progress", ip=ip, number=body.application_no)
    application = await session.scalar(select(Application).where(Application.number == body.application_no))
    if application is None or application.contact_phone_index != pii.blind_index(
        body.phone, purpose=CONTACT_PHONE
    ):
        await throttle.public_lookup_failed(session, settings, "progress", ip=ip, number=body.application_no)
        raise ProgressNotFound()
    item = await session.get(ServiceItem, application.item_code)
    agency = await session.get(Agency, application.agency_code) if application.agency_code else None
    return PublicProgress(
        application_no=application.number,
        item=Coded(code=item.code, label=item.name),
        agency=agency.name if agency else None,
        status=presenter.coded(Status(application.status)),
        submitted_at=application.submitted_at,
        timeline=[
            entry.model_copy(update={"comment": None})
            for entry in await presenter.timeline(session, application, agency.name if agency else None)
        ],
    )
