"""双人复核 of administrator accounts (三员分立).

No single administrator creates, unlocks, resets the second factor of, disables or enables a
system, security or audit administrator account. The security administrator asks
(``request``); a system or audit administrator — another duty — approves, which carries the
change out, or rejects it. A request not decided within ``REQUEST_TTL`` expires. The new
account's one-time initial password is split: the requester is shown the first half, the
approver the second (``app.admin.credentials``). Every step is in the audit trail, refusals too.
The operator command on the host (``python -m app.cli``) is the other way, for when no second
administrator is there.
"""

from datetime import timedelta

from sqlalchemy import desc, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.accounts.models import User
from app.admin import credentials
from app.admin.models import AccountRequest
from app.admin.schemas import (
    ACTION_LABELS,
    STATUS_LABELS,
    AccountRequestAction,
    AccountRequestCreate,
    AccountRequestIssued,
    AccountRequestRead,
    AccountRequestStatus,
)
from app.audit import service as audit
from app.admin.service import (
    AdminAction,
    OwnAccount,
    apply_disabled,
    apply_second_factor_reset,
    apply_unlock,
    fresh_initial_password,
)
from app.core.auth import ADMIN_ROLES, DUAL_CONTROL_APPROVERS, Role
from app.core.db import utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.pagination import keyset, page_of
from app.core.pii import PersonalDataCipher
from app.core.schemas import Coded

REQUEST_TTL = timedelta(hours=24)
# Who approves: an administrator of another duty than the security administrator who asks.
APPROVERS = DUAL_CONTROL_APPROVERS
INITIAL_PART = "admin_account_requests.initial_part"


class AdministratorNotFound(NotFound):
    code = "admin.administrator_not_found"
    title = "管理员账号不存在"


class AccountRequestNotFound(NotFound):
    code = "admin.request_not_found"
    title = "申请不存在"


class AccountRequestClosed(AppError):
    status = 409
    code = "admin.request_closed"
    title = "该申请已处理，不能再次复核"


class AccountRequestExpired(AppError):
    status = 409
    code = "admin.request_expired"
    title = "该申请已过期，请重新提出"
    keep_changes = True  # the request is closed as expired, and that is recorded


class UsernameTaken(AppError):
    status = 409
    code = "account.exists"
    title = "该账号已注册"


def _record(action: AdminAction, event: str, outcome: str, request: AccountRequest, **detail) -> None:
    audit.record(
        action.session,
        event,
        outcome,
        actor_id=action.principal.user_id,
        ip=action.ip,
        object_type="admin_account_request",
        object_id=request.id,
        detail={
            "action": request.action,
            "role": request.role,
            **({"account_id": request.account_id} if request.account_id else {}),
            **detail,
        },
    )


_CREATION_FIELDS = ("role", "username", "name")


def _check_fields(body: AccountRequestCreate) -> None:
    """Which fields each action takes (one body for all five, so that errors name the field)."""
    creating = body.action is AccountRequestAction.create_account
    errors = []
    if creating:
        errors += [(("body", name), "创建管理员账号时必填", "missing") for name in _CREATION_FIELDS
                   if getattr(body, name) is None]
        if body.account_id is not None:
            errors.append((("body", "account_id"), "创建管理员账号时不填此项", "unexpected"))
    else:
        if body.account_id is None:
            errors.append((("body", "account_id"), "解锁、重置、停用、启用时须指定管理员账号", "missing"))
        errors += [(("body", name), "仅创建管理员账号时填写", "unexpected") for name in _CREATION_FIELDS
                   if getattr(body, name) is not None]
    if errors:
        raise InvalidInput(errors)


async def request(
    action: AdminAction, pii: PersonalDataCipher, body: AccountRequestCreate
) -> AccountRequestIssued:
    _check_fields(body)
    session, now = action.session, utcnow()
    first_half = None
    if body.action is AccountRequestAction.create_account:
        if await session.scalar(select(User.id).where(User.username == body.username)) is not None:
            raise UsernameTaken(f"用户名 {body.username} 已存在")
        first_half = fresh_initial_password(body.username, credentials.initial_password_part)
        row = AccountRequest(
            action=AccountRequestAction.create_account.value,
            role=Role(body.role).value,
            username=body.username,
            display_name=body.name,
            initial_part_encrypted=pii.encrypt(first_half, purpose=INITIAL_PART),
        )
    else:
        target = await session.get(User, body.account_id)
        if target is None or Role(target.role) not in ADMIN_ROLES:
            raise AdministratorNotFound()
        if target.id == action.principal.user_id:
            action.record("admin.request_create", "own_account", target.id, request_action=body.action.value)
            raise OwnAccount()
        row = AccountRequest(action=body.action.value, role=target.role, account_id=target.id)
    row.reason = body.reason
    row.requested_by = action.principal.user_id
    row.created_at, row.expires_at = now, now + REQUEST_TTL
    session.add(row)
    await session.flush()
    _record(action, "admin.request_create", "success", row)
    return AccountRequestIssued(**dict(read(row, now)), initial_password_part=first_half)


async def open_request(action: AdminAction, request_id: str, event: str) -> AccountRequest:
    """The pending request, locked; an expired one is closed as such (and the refusal kept)."""
    row = await action.session.get(AccountRequest, request_id, with_for_update=True)
    if row is None:
        raise AccountRequestNotFound()
    if row.status != AccountRequestStatus.pending:
        _record(action, event, "closed", row)
        raise AccountRequestClosed(f"该申请{STATUS_LABELS[AccountRequestStatus(row.status)]}，不能再次复核")
    if row.expires_at <= utcnow():
        row.status, row.initial_part_encrypted = AccountRequestStatus.expired, None
        _record(action, "admin.request_expire", "expired", row)
        raise AccountRequestExpired()
    if row.account_id == action.principal.user_id:
        _record(action, event, "own_account", row)
        raise OwnAccount("不能复核涉及自己账号的申请")
    return row


def _decided(action: AdminAction, row: AccountRequest, status: AccountRequestStatus, comment: str) -> None:
    row.status = status
    row.decided_by, row.decided_at = action.principal.user_id, utcnow()
    row.decision_comment = comment or None
    row.initial_part_encrypted = None


async def approve(
    action: AdminAction, pii: PersonalDataCipher, row: AccountRequest, comment: str
) -> AccountRequestIssued:
    """Approve the pending request ``row`` (loaded by open_request, app.admin.deps) and carry it out."""
    sealed_first_half = row.initial_part_encrypted
    _decided(action, row, AccountRequestStatus.approved, comment)
    _record(action, "admin.request_approve", "success", row, requested_by=row.requested_by)
    second_half = await _carry_out(action, pii, row, sealed_first_half)
    return AccountRequestIssued(**dict(read(row, utcnow())), initial_password_part=second_half)


async def _carry_out(
    action: AdminAction, pii: PersonalDataCipher, row: AccountRequest, sealed_first_half: bytes | None
) -> str | None:
    """The approved change, recorded as the approver's act on the request; the second half of
    a new account's initial password."""
    done = {"request_id": row.id, "requested_by": row.requested_by}
    if row.action == AccountRequestAction.create_account:
        first_half = pii.decrypt(sealed_first_half, purpose=INITIAL_PART)
        return await _create(action, row, first_half, done)
    user = await action.session.get(User, row.account_id, with_for_update=True)
    if row.action == AccountRequestAction.unlock:
        await apply_unlock(action, user, **done)
    elif row.action == AccountRequestAction.reset_second_factor:
        await apply_second_factor_reset(action, user, **done)
    else:
        await apply_disabled(action, user, row.action == AccountRequestAction.disable, **done)
    return None


async def _create(action: AdminAction, row: AccountRequest, first_half: str, done: dict) -> str:
    second_half = fresh_initial_password(row.username, credentials.initial_password_part)
    try:
        user = await accounts.create_operator_account(
            action.session,
            role=Role(row.role),
            username=row.username,
            name=row.display_name,
            password=credentials.joined(first_half, second_half),
            agency_code=None,
            initial=True,
        )
    except accounts.AccountExists as error:
        # Taken since the request: nothing of the approval stays (UsernameTaken keeps no changes).
        raise UsernameTaken(f"用户名 {row.username} 已被占用，请驳回该申请后重新提出") from error
    await action.session.flush()
    row.account_id = user.id
    action.record("admin.account_create", "success", user.id, role=user.role, **done)
    return second_half


async def reject(action: AdminAction, row: AccountRequest, comment: str) -> AccountRequestRead:
    _decided(action, row, AccountRequestStatus.rejected, comment)
    _record(action, "admin.request_reject", "success", row, requested_by=row.requested_by)
    return read(row, utcnow())


async def requests(
    session: AsyncSession, status: AccountRequestStatus | None, *, cursor: str | None, limit: int
) -> tuple[list[AccountRequestRead], str | None]:
    statement = select(AccountRequest)
    now = utcnow()
    if status is AccountRequestStatus.pending:
        statement = statement.where(AccountRequest.status == status, AccountRequest.expires_at > now)
    elif status is AccountRequestStatus.expired:
        statement = statement.where(
            (AccountRequest.status == status)
            | ((AccountRequest.status == AccountRequestStatus.pending) & (AccountRequest.expires_at <= now))
        )
    elif status is not None:
        statement = statement.where(AccountRequest.status == status)
    newest_first = [(AccountRequest.created_at, desc), (AccountRequest.id, desc)]
    rows = list(await session.scalars(keyset(statement, newest_first, cursor, limit)))
    page, next_cursor = page_of(rows, limit, newest_first)
    return [read(row, now) for row in page], next_cursor


def read(row: AccountRequest, now) -> AccountRequestRead:
    status = AccountRequestStatus(row.status)
    if status is AccountRequestStatus.pending and row.expires_at <= now:
        status = AccountRequestStatus.expired
    action = AccountRequestAction(row.action)
    return AccountRequestRead(
        id=row.id,
        action=Coded(code=action.value, label=ACTION_LABELS[action]),
        status=Coded(code=status.value, label=STATUS_LABELS[status]),
        account_id=row.account_id,
        role=Coded(code=row.role, label=Role(row.role).label),
        username=row.username,
        display_name=row.display_name,
        reason=row.reason,
        requested_by=row.requested_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_comment=row.decision_comment,
    )
