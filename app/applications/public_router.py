"""办件查询 (manual §3.1.4.1): application number + contact phone, no login, nothing personal."""

from fastapi import APIRouter

from app.applications import presenter, service
from app.applications.schemas import PublicProgress, PublicProgressQuery
from app.applications.service import ProgressNotFound
from app.core.db import SessionDep
from app.core.deps import ClientIp, PiiDep, SettingsDep
from app.core.errors import error_responses
from app.core.throttle import RateLimited

router = APIRouter(prefix="/public", tags=["public"])


@router.post(
    "/progress",
    summary="办件查询（无需登录）",
    description="申请编号与联系人手机号码均正确时返回办件状态与进度；任一不符时返回相同的 404。"
    "按来源地址限制查询频率；同一来源地址对同一申请编号每天查询不符的次数另有上限，"
    "其他地址的错误查询不影响正确查询。",
    response_model=PublicProgress,
    responses=error_responses(ProgressNotFound, RateLimited),
)
async def query_progress(
    body: PublicProgressQuery, session: SessionDep, settings: SettingsDep, pii: PiiDep, ip: ClientIp
) -> PublicProgress:
    application = await service.progress_lookup(
        session, settings, pii, ip=ip, number=body.application_no, phone=body.phone
    )
    return await presenter.public_progress(session, application)
