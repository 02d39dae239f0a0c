"""三员分立: the security administrator's and the system administrator's duties, and the
双人复核 of administrator accounts (asked by the security administrator, approved by another duty).

Each duty's router admits exactly one administrator role, so no administrator can do another's duty.
"""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.accounts.service import AccountExists
from app.admin import dual_control, service
from app.admin.deps import (
    AccountToDisable,
    AccountToEnable,
    AccountToResetSecondFactor,
    AccountToUnlock,
    AnyAdministrator,
    Approver,
    RequestToApprove,
    RequestToReject,
    SecurityAdmin,
    SystemAdmin,
)
from app.admin.schemas import (
    AccountRequestApproval,
    AccountRequestCreate,
    AccountRequestIssued,
    AccountRequestRead,
    AccountRequestRejection,
    AccountRequestStatus,
    OperatorAccountCreate,
    OperatorAccountCreated,
    OperatorAccountRead,
    ReadCacheRefreshed,
    SystemStatus,
)
from app.core.auth import ROLE_ERRORS
from app.core.deps import PiiDep, SettingsDep
from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import Page

security_router = APIRouter(prefix="/admin/security", tags=["admin-security"])
requests_router = APIRouter(prefix="/admin/security/requests", tags=["admin-requests"])
system_router = APIRouter(prefix="/admin/system", tags=["admin"])

ACCOUNT_ERRORS = error_responses(
    *ROLE_ERRORS, service.OperatorAccountNotFound, service.OwnAccount, service.DualControlRequired
)
DUAL_CONTROL = (
    "管理员账号（系统、安全、审计管理员）不能由安全管理员单独操作，返回 403 "
    "`admin.dual_control_required`：请提出申请（`POST /admin/security/requests`），"
    "经系统管理员或审计管理员批准后执行。"
)


@security_router.post(
    "/accounts",
    summary="创建执法人员、受理审批人员账号",
    description="返回仅显示一次的一次性初始密码：持有人首次登录时须先设置新密码，再自行绑定身份验证器"
    "（第二因素），创建人不会知道其长期密码与验证器密钥。" + DUAL_CONTROL,
    status_code=status.HTTP_201_CREATED,
    response_model=OperatorAccountCreated,
    responses=error_responses(*ROLE_ERRORS, AccountExists, service.DualControlRequired),
)
async def create_account(body: OperatorAccountCreate, action: SecurityAdmin) -> OperatorAccountCreated:
    return await service.create_account(action, body)


@security_router.post(
    "/accounts/{account_id}/unlock",
    summary="解除账号锁定",
    description=DUAL_CONTROL,
    response_model=OperatorAccountRead,
    responses=ACCOUNT_ERRORS,
)
async def unlock_account(action: SecurityAdmin, user: AccountToUnlock) -> OperatorAccountRead:
    return await service.unlock(action, user)


@security_router.delete(
    "/accounts/{account_id}/second-factor",
    summary="重置第二因素（身份验证器）",
    description="删除该账号的身份验证器与恢复码并使其全部登录失效；下次登录时重新绑定。" + DUAL_CONTROL,
    response_model=OperatorAccountRead,
    responses=ACCOUNT_ERRORS,
)
async def reset_account_second_factor(action: SecurityAdmin, user: AccountToResetSecondFactor) -> OperatorAccountRead:
    return await service.reset_second_factor(action, user)


@security_router.post(
    "/accounts/{account_id}/disable",
    summary="停用账号",
    description="停用后无法登录，已有登录立即失效。" + DUAL_CONTROL,
    response_model=OperatorAccountRead,
    responses=ACCOUNT_ERRORS,
)
async def disable_account(action: SecurityAdmin, user: AccountToDisable) -> OperatorAccountRead:
    return await service.set_disabled(action, user, disabled=True)


@security_router.post(
    "/accounts/{account_id}/enable",
    summary="启用账号",
    description=DUAL_CONTROL,
    response_model=OperatorAccountRead,
    responses=ACCOUNT_ERRORS,
)
async def enable_account(action: SecurityAdmin, user: AccountToEnable) -> OperatorAccountRead:
    return await service.set_disabled(action, user, disabled=False)


REQUEST_ERRORS = (dual_control.AccountRequestNotFound, dual_control.AccountRequestClosed,
                  dual_control.AccountRequestExpired, service.OwnAccount)


@requests_router.post(
    "",
    summary="申请创建、解锁、重置或停用管理员账号（安全管理员）",
    description="安全管理员提出申请，系统管理员或审计管理员批准后才执行，24 小时内未复核即失效。"
    "`create_account` 返回一次性初始密码的前半部分（`initial_password_part`，仅显示这一次），"
    "批准时复核人得到后半部分：任何一名管理员都不能单独登录新账号。"
    "持有人首次登录时须设置新密码并自行绑定身份验证器。申请、批准、驳回与执行均记入审计记录。",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountRequestIssued,
    responses=error_responses(
        *ROLE_ERRORS, dual_control.AdministratorNotFound, dual_control.UsernameTaken, service.OwnAccount
    ),
)
async def request_account_change(
    body: AccountRequestCreate, action: SecurityAdmin, pii: PiiDep
) -> AccountRequestIssued:
    return await dual_control.request(action, pii, body)


@requests_router.get(
    "",
    summary="管理员账号申请（最新在前）",
    description="安全管理员、系统管理员与审计管理员均可查看；不含任何密码。",
    response_model=Page[AccountRequestRead],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_account_requests(
    action: AnyAdministrator,
    status: Annotated[AccountRequestStatus | None, Query(description="按状态筛选")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[AccountRequestRead]:
    items, next_cursor = await dual_control.requests(action.session, status, cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)


@requests_router.post(
    "/{request_id}/approve",
    summary="批准管理员账号申请并执行（系统管理员或审计管理员）",
    description="批准即执行；创建申请返回一次性初始密码的后半部分（`initial_password_part`，仅显示这一次）。"
    "不能复核涉及自己账号的申请。",
    response_model=AccountRequestIssued,
    responses=error_responses(*ROLE_ERRORS, *REQUEST_ERRORS, dual_control.UsernameTaken),
)
async def approve_account_request(
    action: Approver, row: RequestToApprove, pii: PiiDep, body: AccountRequestApproval | None = None
) -> AccountRequestIssued:
    return await dual_control.approve(action, pii, row, body.comment if body else "")


@requests_router.post(
    "/{request_id}/reject",
    summary="驳回管理员账号申请（系统管理员或审计管理员）",
    response_model=AccountRequestRead,
    responses=error_responses(*ROLE_ERRORS, *REQUEST_ERRORS),
)
async def reject_account_request(
    body: AccountRequestRejection, action: Approver, row: RequestToReject
) -> AccountRequestRead:
    return await dual_control.reject(action, row, body.comment)


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
async def get_system_status(action: SystemAdmin, settings: SettingsDep) -> SystemStatus:
    return await service.system_status(action, settings)
