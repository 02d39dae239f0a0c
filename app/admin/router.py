"""三员分立: the security administrator's and the system administrator's duties.

Each router admits exactly one administrator role, so no administrator can do another's duty.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from app.accounts.service import AccountExists
from app.admin import service
from app.admin.schemas import OperatorAccountCreate, OperatorAccountRead, ReadCacheRefreshed, SystemStatus
from app.admin.service import AdminAction
from app.auth.deps import require_roles
from app.core.auth import ROLE_ERRORS, Principal, Role
from app.core.db import SessionDep
from app.core.deps import ClientIp, SettingsDep
from app.core.errors import error_responses
from app.core.schemas import ID_PATTERN


def _acting(role: Role):
    async def action(
        session: SessionDep, principal: Annotated[Principal, require_roles(role)], ip: ClientIp
    ) -> AdminAction:
        return AdminAction(session, principal, ip)

    return Annotated[AdminAction, Depends(action)]


SecurityAdmin = _acting(Role.secadmin)
SystemAdmin = _acting(Role.sysadmin)
AccountId = Annotated[str, Path(pattern=ID_PATTERN, description="账号 id")]

security_router = APIRouter(prefix="/admin/security", tags=["安全管理员"])
system_router = APIRouter(prefix="/admin/system", tags=["系统管理员"])

ACCOUNT_ERRORS = error_responses(*ROLE_ERRORS, service.OperatorAccountNotFound, service.OwnAccount)


@security_router.post(
    "/accounts",
    summary="创建执法人员、受理审批人员或管理员账号",
    description="新账号首次登录时须绑定身份验证器（第二因素）。",
    status_code=status.HTTP_201_CREATED,
    response_model=OperatorAccountRead,
    responses=error_responses(*ROLE_ERRORS, AccountExists),
)
async def create_account(body: OperatorAccountCreate, action: SecurityAdmin) -> OperatorAccountRead:
    return await service.create_account(action, body)


@security_router.post(
    "/accounts/{account_id}/unlock",
    summary="解除账号锁定",
    response_model=OperatorAccountRead,
    responses=ACCOUNT_ERRORS,
)
async def unlock(account_id: AccountId, action: SecurityAdmin) -> OperatorAccountRead:
    return await service.unlock(action, account_id)


@security_router.delete(
    "/accounts/{account_id}/second-factor",
    summary="重置第二因素（身份验证器）",
    description="删除该账号的身份验证器与恢复码并使其全部登录失效；下次登录时重新绑定。",
    response_model=OperatorAccountRead,
    responses=ACCOUNT_ERRORS,
)
async def reset_second_factor(account_id: AccountId, action: SecurityAdmin) -> OperatorAccountRead:
    return await service.reset_second_factor(action, account_id)


@security_router.post(
    "/accounts/{account_id}/disable",
    summary="停用账号",
    description="停用后无法登录，已有登录立即失效。",
    response_model=OperatorAccountRead,
    responses=ACCOUNT_ERRORS,
)
async def disable(account_id: AccountId, action: SecurityAdmin) -> OperatorAccountRead:
    return await service.set_disabled(action, account_id, disabled=True)


@security_router.post(
    "/accounts/{account_id}/enable",
    summary="启用账号",
    response_model=OperatorAccountRead,
    responses=ACCOUNT_ERRORS,
)
async def enable(account_id: AccountId, action: SecurityAdmin) -> OperatorAccountRead:
    return await service.set_disabled(action, account_id, disabled=False)


@system_router.post(
    "/read-cache/refresh",
    summary="刷新公共数据缓存",
    description="各工作进程在 `READ_CACHE_CHECK_SECONDS` 内重新读取机构、事项、选项与帮助数据。",
    response_model=ReadCacheRefreshed,
    responses=error_responses(*ROLE_ERRORS, validation=False),
)
async def refresh_read_cache(action: SystemAdmin) -> ReadCacheRefreshed:
    return await service.refresh_read_cache(action)


@system_router.get(
    "/status",
    summary="系统状态（迁移版本、所用适配器，不含任何密钥）",
    response_model=SystemStatus,
    responses=error_responses(*ROLE_ERRORS, validation=False),
)
async def system_status(action: SystemAdmin, settings: SettingsDep) -> SystemStatus:
    return await service.system_status(action, settings)
