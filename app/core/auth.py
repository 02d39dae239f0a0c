"""Who is calling: roles and the authenticated principal every protected route receives."""

from dataclasses import dataclass
from enum import StrEnum

from app.core.enums import LabelledEnum
from app.core.errors import AppError
from app.core.throttle import RateLimited


class Role(LabelledEnum):
    personal = "personal", "个人用户"
    corporate = "corporate", "法人用户"
    officer = "officer", "执法人员"
    staff = "staff", "受理审批人员"
    # 等保 三员分立: three administrators, none able to do another's duty.
    sysadmin = "sysadmin", "系统管理员"
    secadmin = "secadmin", "安全管理员"
    auditor = "auditor", "审计管理员"
    # A machine client of the authority's own systems (certificate registry, back office):
    # registered by the system administrator, signs in with OAuth 2.0 client credentials only.
    integration = "integration", "系统对接"


class Scope(LabelledEnum):
    """What a machine client may do (OAuth 2.0 scopes), granted when it is registered."""

    certificates_write = "certificates:write", "推送证照"
    applications_read = "applications:read", "查询本机构办件"
    applications_decide = "applications:decide", "作出办件决定"
    events_subscribe = "events:subscribe", "订阅事件通知"


class Actor(StrEnum):
    """The side of an application (办件) a role acts on: the columns of its state machine."""

    applicant = "applicant"
    staff = "staff"


# The one table from roles to the side of an application they act on; roles not in it take
# no part in applications (officers check certificates, administrators run the system).
ACTOR_OF_ROLE: dict[Role, Actor] = {
    Role.personal: Actor.applicant,
    Role.corporate: Actor.applicant,
    Role.staff: Actor.staff,
}


def roles_acting_as(actor: Actor) -> tuple[Role, ...]:
    return tuple(role for role, side in ACTOR_OF_ROLE.items() if side is actor)


APPLICANT_ROLES = roles_acting_as(Actor.applicant)  # 个人用户 and 法人用户 apply
STAFF_ROLES = roles_acting_as(Actor.staff)  # 受理审批人员 decide
ADMIN_ROLES = (Role.sysadmin, Role.secadmin, Role.auditor)
# 双人复核: the duties other than the security administrator's approve its account requests.
DUAL_CONTROL_APPROVERS = (Role.sysadmin, Role.auditor)
# Accounts an operator creates (never self-registered).
OPERATOR_CREATED_ROLES = (Role.officer, Role.staff, *ADMIN_ROLES)
# 等保 level 3: these sign in with a second factor (TOTP), their sessions end when idle and
# their passwords expire.
SECOND_FACTOR_ROLES = OPERATOR_CREATED_ROLES


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: Role
    session_id: str
    agency_code: str | None = None
    # A machine client's granted scopes (empty for people); its session_id is the token's jti.
    scopes: frozenset[str] = frozenset()


class NotAuthenticated(AppError):
    status = 401
    code = "auth.not_authenticated"
    title = "请先登录"


class TokenInvalid(AppError):
    status = 401
    code = "auth.token_invalid"
    title = "登录已失效，请重新登录"


class SessionIdle(TokenInvalid):
    code = "auth.session_idle"
    title = "长时间未操作，已退出登录，请重新登录"
    keep_changes = True  # the session stays ended


class Forbidden(AppError):
    status = 403
    code = "auth.forbidden"
    title = "无权执行此操作"


class InsufficientScope(Forbidden):
    code = "auth.insufficient_scope"
    title = "该客户端未获授权执行此操作"


# What a protected route may answer before it runs: for OpenAPI `responses`.
SIGNED_IN_ERRORS = (NotAuthenticated, TokenInvalid, SessionIdle)
ROLE_ERRORS = (NotAuthenticated, TokenInvalid, SessionIdle, Forbidden)
# A machine client's calls are also counted against its own limit (app.core.throttle).
CLIENT_ERRORS = (NotAuthenticated, TokenInvalid, InsufficientScope, RateLimited)
