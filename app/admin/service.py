"""The duties of two of the three 等保 administrators (三员分立).

安全管理员 (secadmin): operator-created accounts — create, unlock, reset the second factor,
disable and enable; never their own account. Officers and staff alone: a new account gets a
one-time initial password its holder replaces at the first sign-in, then enrols their own
authenticator. Administrator accounts only through a request another duty approves
(``app.admin.dual_control``) or the operator command on the host. 系统管理员 (sysadmin): system
duties — refresh the public read cache, see what runs. The 审计管理员 (auditor) reads the audit
trail elsewhere. Every action, and every refusal, is recorded in the audit trail.
"""

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.accounts.models import User
from app.admin import credentials
from app.admin.schemas import (
    AdapterInUse,
    OperatorAccountCreate,
    OperatorAccountCreated,
    OperatorAccountRead,
    ReadCacheRefreshed,
    SystemStatus,
)
from app.agencies.models import Agency
from app.agencies.service import agency_ref
from app.audit import service as audit
from app.auth import lockout, second_factor, tokens
from app.auth.models import SecondFactor
from app.core import read_cache
from app.core.auth import ADMIN_ROLES, OPERATOR_CREATED_ROLES, Principal, Role
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.schemas import Coded


class OperatorAccountNotFound(NotFound):
    code = "admin.account_not_found"
    title = "账号不存在或不由安全管理员管理"


class OwnAccount(AppError):
    status = 403
    code = "admin.own_account"
    title = "不能对自己的账号执行此操作"
    keep_changes = True  # the refusal stays in the audit trail
    audited = True


class DualControlRequired(AppError):
    status = 403
    code = "admin.dual_control_required"
    title = "管理员账号的创建、解锁、重置和停用须经另一类管理员复核"
    keep_changes = True  # the refusal stays in the audit trail
    audited = True


class AdminAction:
    """Who acts, from where: every admin service call records itself with it."""

    def __init__(self, session: AsyncSession, principal: Principal | None, ip: str | None) -> None:
        self.session = session
        self.principal = principal  # None: the operator on the host (python -m app.cli)
        self.ip = ip

    def record(
        self, event: str, outcome: str, target_id: str | None = None, *, target_type: str = "user", **detail
    ) -> None:
        audit.record(
            self.session,
            event,
            outcome,
            actor_id=self.principal.user_id if self.principal else None,
            ip=self.ip,
            object_type=target_type if target_id else None,
            object_id=target_id,
            detail=detail or None,
        )


# --- 安全管理员 ----------------------------------------------------------------------------


async def create_account(action: AdminAction, body: OperatorAccountCreate) -> OperatorAccountCreated:
    role = Role(body.role)
    if role in ADMIN_ROLES:
        action.record("admin.account_create", "dual_control", role=role.value)
        raise DualControlRequired("创建管理员账号须提出申请（POST /admin/security/requests），经系统管理员或审计管理员批准")
    password = fresh_initial_password(body.username, credentials.initial_password)
    try:
        user = await accounts.create_operator_account(
            action.session,
            role=role,
            username=body.username,
            name=body.name,
            password=password,
            agency_code=body.agency_code,
            initial=True,
        )
    except ValueError as error:
        raise _agency_problem(body) from error
    await action.session.flush()
    action.record("admin.account_create", "success", user.id, role=user.role)
    read = await account_read(action.session, user)
    return OperatorAccountCreated(**dict(read), initial_password=password)


def fresh_initial_password(username: str, make) -> str:
    """A generated password that passes the policy (it never contains the username)."""
    while True:
        password = make()
        if username.lower() not in password.lower():
            return password


def _agency_problem(body: OperatorAccountCreate) -> InvalidInput:
    if body.agency_code is None:  # the schema says so too (OperatorAccountCreate)
        return InvalidInput([(("body", "agency_code"), "执法人员、受理审批人员须指定所属海事机构", "missing")])
    return InvalidInput([(("body", "agency_code"), "所属海事机构不存在", "agency")])


async def managed_account(action: AdminAction, user_id: str, event: str) -> User:
    """An officer or staff account other than the caller's own, locked for the change; an
    administrator account is changed only through a request another duty approves."""
    user = await action.session.get(User, user_id, with_for_update=True)
    if user is None or Role(user.role) not in OPERATOR_CREATED_ROLES:
        raise OperatorAccountNotFound()
    if user.id == action.principal.user_id:
        action.record(event, "own_account", user.id)
        raise OwnAccount()
    if Role(user.role) in ADMIN_ROLES:
        action.record(event, "dual_control", user.id)
        raise DualControlRequired()
    return user


# The account comes loaded, locked and checked by managed_account (app.admin.deps).


async def unlock(action: AdminAction, user: User) -> OperatorAccountRead:
    await apply_unlock(action, user)
    return await account_read(action.session, user)


async def reset_second_factor(action: AdminAction, user: User) -> OperatorAccountRead:
    await apply_second_factor_reset(action, user)
    return await account_read(action.session, user)


async def set_disabled(action: AdminAction, user: User, disabled: bool) -> OperatorAccountRead:
    await apply_disabled(action, user, disabled)
    return await account_read(action.session, user)


# What each change does, alone (officers, staff) or once a request is approved (administrators).


async def apply_unlock(action: AdminAction, user: User, **detail) -> None:
    user.clear_lockout()
    await lockout.forget_account(action.session, user.username)
    action.record("admin.account_unlock", "success", user.id, **detail)


async def apply_second_factor_reset(action: AdminAction, user: User, **detail) -> None:
    await second_factor.reset(action.session, user.id)
    # Whoever holds a session signed in with the old factor signs in (and enrols) again.
    await tokens.revoke_all_sessions(action.session, user.id, "second_factor_reset")
    action.record("admin.second_factor_reset", "success", user.id, **detail)


async def apply_disabled(action: AdminAction, user: User, disabled: bool, **detail) -> None:
    if disabled and user.disabled_at is None:
        user.disabled_at = utcnow()
        await tokens.revoke_all_sessions(action.session, user.id, "disabled")
    elif not disabled:
        user.disabled_at = None
    event = "admin.account_disable" if disabled else "admin.account_enable"
    action.record(event, "success", user.id, **detail)


HOST_CHANGES = ("unlock", "reset-second-factor", "disable", "enable")


async def change_on_host(session: AsyncSession, username: str, change: str) -> User:
    """The operator on the host changes any operator or administrator account (no second
    administrator needed: they hold the host). Audited with ``via: host_command``."""
    user = await session.scalar(select(User).where(User.username == username.lower()).with_for_update())
    if user is None or Role(user.role) not in OPERATOR_CREATED_ROLES:
        raise OperatorAccountNotFound()
    action, via = AdminAction(session, None, None), {"via": "host_command"}
    if change == "unlock":
        await apply_unlock(action, user, **via)
    elif change == "reset-second-factor":
        await apply_second_factor_reset(action, user, **via)
    else:
        await apply_disabled(action, user, change == "disable", **via)
    return user


async def account_read(session: AsyncSession, user: User) -> OperatorAccountRead:
    enrolled = await session.scalar(select(SecondFactor.user_id).where(SecondFactor.user_id == user.id))
    return OperatorAccountRead(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Coded(code=user.role, label=Role(user.role).label),
        agency=agency_ref(await session.get(Agency, user.agency_code)) if user.agency_code else None,
        second_factor_enrolled=enrolled is not None,
        locked_until=await lockout.latest_hold(session, user.username),
        disabled=user.disabled_at is not None,
        password_changed_at=user.password_changed_at,
        created_at=user.created_at,
    )


# --- 系统管理员 ----------------------------------------------------------------------------


async def refresh_read_cache(action: AdminAction) -> ReadCacheRefreshed:
    await read_cache.bump(action.session, *read_cache.DATASETS)
    action.record("admin.read_cache_refresh", "success", datasets=list(read_cache.DATASETS))
    return ReadCacheRefreshed(datasets=list(read_cache.DATASETS))


async def system_status(action: AdminAction, settings: Settings) -> SystemStatus:
    session = action.session
    try:
        revision = await session.scalar(text("SELECT version_num FROM alembic_version"))
    except SQLAlchemyError:
        revision = None
    head = _migration_head()
    versions = await session.execute(select(read_cache.CacheVersion.name, read_cache.CacheVersion.version))
    action.record("admin.system_status", "success")
    return SystemStatus(
        environment=settings.app_env.value,
        database=session.get_bind().dialect.name,
        migration_revision=revision,
        migration_head=head,
        migrations_current=revision is not None and revision == head,
        adapters=[
            AdapterInUse(name="storage", implementation=settings.storage_backend),
            AdapterInUse(name="wechat", implementation=settings.wechat_adapter),
            AdapterInUse(name="face", implementation=settings.face_adapter),
            AdapterInUse(name="certificate_registry", implementation=settings.certificate_registry),
        ],
        demo_data=settings.demo_data,
        read_cache_versions=dict(versions.all()),
    )


# Where alembic.ini is: the checkout, or the working directory of the container image.
_ALEMBIC_INI = (Path(__file__).resolve().parents[2] / "alembic.ini", Path.cwd() / "alembic.ini")


def _migration_head() -> str | None:
    for ini in _ALEMBIC_INI:
        if ini.exists():
            return ScriptDirectory.from_config(Config(str(ini))).get_current_head()
    return None
