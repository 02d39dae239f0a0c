"""安全审计: the audit administrator reads the trail (and that reading is recorded too)."""

from fastapi import APIRouter

from app.audit import service
from app.audit.deps import EventFilterDep
from app.audit.schemas import AuditEventRead
from app.auth.deps import Auditor
from app.core.auth import ROLE_ERRORS
from app.core.db import SessionDep
from app.core.deps import ClientIp
from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import Page

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get(
    "/events",
    summary="审计记录（仅审计管理员，最新在前）",
    description="登录注册、受理审批与纠错决定、执法扫码、查看未脱敏的个人信息、通知书与材料下载等事件。"
    "记录只增不改：数据库拒绝修改，也拒绝删除 180 天内的记录。每次查询本身也会记入审计记录。",
    response_model=Page[AuditEventRead],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_audit_events(
    auditor: Auditor,
    session: SessionDep,
    ip: ClientIp,
    filters: EventFilterDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[AuditEventRead]:
    return await service.events(session, auditor, ip, filters, cursor=cursor, limit=limit)
