"""The administrators' acts and the objects they act on, already loaded, locked and checked:
``user: AccountToUnlock`` (an officer or staff account, never the caller's own, never an
administrator's: those go through 双人复核), ``row: RequestToApprove`` (a pending request that
is not about the approver's own account). A refusal is recorded under the route's own event."""

from typing import Annotated

from fastapi import Depends, Path

from app.accounts.models import User
from app.admin import dual_control, service
from app.admin.models import AccountRequest
from app.admin.service import AdminAction
from app.auth.deps import AnyAdministrator as AnyAdministratorRole
from app.auth.deps import RequestApprover, SecurityAdministrator, SystemAdministrator
from app.core.auth import Principal
from app.core.db import SessionDep
from app.core.deps import ClientIp
from app.core.schemas import ID_PATTERN


def _acting(administrator: type[Principal]):
    """The administrator's act, for one of the role aliases of app.auth.deps."""

    async def action(session: SessionDep, principal: administrator, ip: ClientIp) -> AdminAction:
        return AdminAction(session, principal, ip)

    return Annotated[AdminAction, Depends(action)]


SecurityAdmin = _acting(SecurityAdministrator)
SystemAdmin = _acting(SystemAdministrator)
# 双人复核: another duty than the security administrator's approves.
Approver = _acting(RequestApprover)
AnyAdministrator = _acting(AnyAdministratorRole)
AccountId = Annotated[str, Path(pattern=ID_PATTERN, description="账号 id")]
RequestId = Annotated[str, Path(pattern=ID_PATTERN, description="申请 id")]


def _managed_account(event: str):
    async def managed_account(action: SecurityAdmin, account_id: AccountId) -> User:
        return await service.managed_account(action, account_id, event)

    return Annotated[User, Depends(managed_account)]


def _open_request(event: str):
    async def open_request(action: Approver, request_id: RequestId) -> AccountRequest:
        return await dual_control.open_request(action, request_id, event)

    return Annotated[AccountRequest, Depends(open_request)]


AccountToUnlock = _managed_account("admin.account_unlock")
AccountToResetSecondFactor = _managed_account("admin.second_factor_reset")
AccountToDisable = _managed_account("admin.account_disable")
AccountToEnable = _managed_account("admin.account_enable")
RequestToApprove = _open_request("admin.request_approve")
RequestToReject = _open_request("admin.request_reject")
