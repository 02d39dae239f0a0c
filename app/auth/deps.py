"""Authentication and authorisation dependencies for routers: who is calling, and the one
place every role alias (``Applicant``, ``Staff``, ``Officer``, the administrators …) is declared."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2, SecurityScopes
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.audit import refusals
from app.audit import service as audit
from app.auth import clients, tokens
from app.auth.service import AuthContext
from app.core import throttle
from app.core.auth import (
    APPLICANT_ROLES,
    DUAL_CONTROL_APPROVERS,
    STAFF_ROLES,
    Forbidden,
    InsufficientScope,
    NotAuthenticated,
    Principal,
    Role,
    Scope,
)
from app.core.db import SessionDep
from app.core.deps import ClientIp, PiiDep, SettingsDep, client_ip_of, settings_of

_bearer = HTTPBearer(auto_error=False, description="`POST /auth/...` 登录后获得的 access_token")


async def _principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # Settings and the caller's address are read here, not as dependencies of their own: every
    # protected route resolves the caller. A refusal from here on is audited
    # (app.audit.refusals): the route is a protected one.
    watched = refusals.watch(request, session, client_ip_of(request))
    if credentials is None:
        raise NotAuthenticated()
    principal = await tokens.authenticate(session, settings_of(request), credentials.credentials)
    watched.actor_id = principal.user_id
    return principal


CurrentPrincipal = Annotated[Principal, Depends(_principal)]


async def _current_user(session: SessionDep, principal: CurrentPrincipal) -> User:
    user = await session.get(User, principal.user_id)
    if user is None:
        raise NotAuthenticated()
    return user


CurrentUser = Annotated[User, Depends(_current_user)]


def require_roles(*roles: Role):
    """A dependency admitting only ``roles``: ``Annotated[Principal, require_roles(Role.staff)]``.

    The roles are published in the operation's OpenAPI security requirement
    (``{"HTTPBearer": ["staff"]}``), which OpenAPI 3.1 reserves for role names on non-OAuth
    schemes, so clients and the fuzz run know who may call what.
    """

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden()
        return principal

    return Security(check, scopes=[role.value for role in roles])


# Every role alias, once. The roles acting on applications come from app.core.auth.ACTOR_OF_ROLE.
Applicant = Annotated[Principal, require_roles(*APPLICANT_ROLES)]  # 个人用户, 法人用户
ShipOwner = Annotated[Principal, require_roles(Role.corporate)]  # 法人/船舶用户
Staff = Annotated[Principal, require_roles(*STAFF_ROLES)]  # 受理审批人员
Officer = Annotated[Principal, require_roles(Role.officer)]  # 执法人员
# 三员分立: each administrator's duty admits exactly one role …
SecurityAdministrator = Annotated[Principal, require_roles(Role.secadmin)]
SystemAdministrator = Annotated[Principal, require_roles(Role.sysadmin)]
# … and 双人复核: another duty than the security administrator's approves its requests.
RequestApprover = Annotated[Principal, require_roles(*DUAL_CONTROL_APPROVERS)]
AnyAdministrator = Annotated[Principal, require_roles(Role.secadmin, *DUAL_CONTROL_APPROVERS)]


class AuditLogForbidden(Forbidden):
    keep_changes = True  # the refused attempt to read the trail stays in it
    audited = True  # as audit.query, not again as access.refused


async def _auditor(principal: CurrentPrincipal, session: SessionDep, ip: ClientIp) -> Principal:
    """Only the audit administrator (三员分立) reads the trail; every other attempt is recorded."""
    if principal.role is not Role.auditor:
        audit.record(session, "audit.query", "forbidden", actor_id=principal.user_id, ip=ip)
        raise AuditLogForbidden()
    return principal


# Security, not Depends: the role is published in the operation's security requirement.
Auditor = Annotated[Principal, Security(_auditor, scopes=[Role.auditor.value])]


# Machine clients (系统对接): OAuth 2.0 client credentials, scopes instead of roles.

TOKEN_URL = "/oauth/token"
_client_credentials = OAuth2(
    flows=OAuthFlows(
        clientCredentials=OAuthFlowClientCredentials(
            tokenUrl=TOKEN_URL, scopes={scope.value: scope.label for scope in Scope}
        )
    ),
    scheme_name="MachineClient",
    description="对接系统以客户端凭证（client_secret 或 private_key_jwt）向 `POST /oauth/token` 换取访问令牌",
    auto_error=False,
)


async def _client(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    ip: ClientIp,
    security_scopes: SecurityScopes,
    authorization: Annotated[str | None, Depends(_client_credentials)],
) -> Principal:
    watched = refusals.watch(request, session, ip)
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise NotAuthenticated()
    caller = await clients.caller(session, settings, token, ip)
    principal = caller.principal
    watched.actor_id, watched.machine_client = principal.user_id, True
    if not set(security_scopes.scopes) <= principal.scopes:
        raise InsufficientScope()
    # Each client within its own limit; every call it makes is in the trail as its own.
    await throttle.hit(
        session, f"client:{principal.user_id}", limit=caller.rate_limit_per_minute, window=throttle.MINUTE
    )
    audit.record(
        session,
        "client.call",
        "success",
        actor_id=principal.user_id,
        ip=ip,
        detail={"method": request.method, "route": watched.route},
    )
    return principal


def require_scopes(*scopes: Scope):
    """A machine client holding every one of ``scopes``, published in the operation's OAuth 2.0
    security requirement (``{"MachineClient": ["certificates:write"]}``)."""
    return Security(_client, scopes=[scope.value for scope in scopes])


# Every scope alias, once.
CertificateRegistryClient = Annotated[Principal, require_scopes(Scope.certificates_write)]
ApplicationsReader = Annotated[Principal, require_scopes(Scope.applications_read)]
ApplicationsDecider = Annotated[Principal, require_scopes(Scope.applications_decide)]
EventsSubscriber = Annotated[Principal, require_scopes(Scope.events_subscribe)]


async def _context(session: SessionDep, settings: SettingsDep, pii: PiiDep, ip: ClientIp) -> AuthContext:
    return AuthContext(session, settings, pii, ip)


# What the sign-in and account routes act with: the session, settings, cipher and caller's address.
Context = Annotated[AuthContext, Depends(_context)]


async def _auth_throttle(session: SessionDep, settings: SettingsDep, ip: ClientIp) -> None:
    await throttle.hit(session, f"auth:{ip}", limit=settings.auth_requests_per_minute, window=throttle.MINUTE)


AuthThrottle = Depends(_auth_throttle)


# 安全审计: the trail bound to the caller (the audit package sits below auth, which records every
# sign-in in it).


@dataclass(frozen=True)
class AuditTrail:
    """The trail as seen from one signed-in request: the caller and their address are known."""

    session: AsyncSession
    actor_id: str
    ip: str

    def record(
        self,
        event: str,
        outcome: str = "success",
        *,
        object_type: str | None = None,
        object_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        audit.record(
            self.session,
            event,
            outcome,
            actor_id=self.actor_id,
            ip=self.ip,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
        )


async def _trail(session: SessionDep, principal: CurrentPrincipal, ip: ClientIp) -> AuditTrail:
    return AuditTrail(session, principal.user_id, ip)


AuditTrailDep = Annotated[AuditTrail, Depends(_trail)]
