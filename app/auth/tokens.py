"""Access and refresh tokens, sessions and their revocation.

Access tokens live 15 minutes; each request also checks that the session behind the
token is still open, so logout and password changes take effect at once, on every worker.
Refresh tokens work once: using a spent one revokes the whole session (token family).
Sessions of privileged accounts (officers, staff, admins) also end after SESSION_IDLE_TIMEOUT
without a request; the last activity is written at most once a minute.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.audit import service as audit
from app.auth import repository
from app.auth.models import AuthSession, RefreshToken
from app.core.auth import SECOND_FACTOR_ROLES, Forbidden, Principal, Role, SessionIdle, TokenInvalid
from app.core.config import Settings
from app.core.db import new_id, utcnow
from app.core.security import InvalidToken, sign_token, verify_token

ALGORITHM = "HS256"
TokenType = Literal["access", "refresh", "binding", "client"]
# How stale the stored last activity may get before a request writes it again.
ACTIVITY_GRANULARITY = timedelta(minutes=1)


class RefreshTokenReused(TokenInvalid):
    code = "auth.refresh_token_reused"
    title = "登录凭证已被使用，请重新登录"
    keep_changes = True  # the revocation of the token family must stick


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int


def sign(
    settings: Settings, token_type: TokenType, subject: str, expires_at: datetime, **claims: Any
) -> str:
    now = utcnow()
    payload = {
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "sub": subject,
        "typ": token_type,
        "jti": claims.pop("jti", None) or new_id(),
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        **claims,
    }
    return sign_token(payload, settings.secret_key.get_secret_value(), ALGORITHM)


def read_token(settings: Settings, token: str, token_type: TokenType) -> dict[str, Any]:
    try:
        claims = verify_token(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            audience=settings.token_audience,
            issuer=settings.token_issuer,
        )
    except InvalidToken as error:
        raise TokenInvalid() from error
    if {claims.get("typ"), token_type} == {"access", "client"}:
        # A genuine token of the other kind of caller: a person's on a machine client's route or
        # the reverse. Who they are is known; the route is not for them.
        raise Forbidden()
    if claims.get("typ") != token_type or not isinstance(claims.get("sub"), str):
        raise TokenInvalid()
    return claims


def binding_ticket(settings: Settings, openid: str) -> str:
    return sign(settings, "binding", openid, utcnow() + settings.binding_ticket_ttl)


async def start_session(session: AsyncSession, settings: Settings, user: User) -> IssuedTokens:
    now = utcnow()
    auth_session = AuthSession(user_id=user.id, expires_at=now + settings.refresh_token_ttl, last_seen_at=now)
    await repository.add(session, auth_session)
    return await _issue(session, settings, user, auth_session)


async def _issue(
    session: AsyncSession, settings: Settings, user: User, auth_session: AuthSession
) -> IssuedTokens:
    now = utcnow()
    refresh = RefreshToken(jti=new_id(), session_id=auth_session.id, expires_at=auth_session.expires_at)
    await repository.add(session, refresh)
    claims = {"role": user.role, "sid": auth_session.id}
    return IssuedTokens(
        access_token=sign(settings, "access", user.id, now + settings.access_token_ttl, **claims),
        refresh_token=sign(settings, "refresh", user.id, refresh.expires_at, jti=refresh.jti, **claims),
        expires_in=int(settings.access_token_ttl.total_seconds()),
    )


async def rotate(
    session: AsyncSession, settings: Settings, refresh_token: str, *, ip: str
) -> tuple[User, IssuedTokens]:
    claims = read_token(settings, refresh_token, "refresh")
    stored = await repository.refresh_token(session, claims["jti"])
    if stored is None or stored.session_id != claims.get("sid"):
        raise TokenInvalid()
    auth_session = await _open_session(session, stored.session_id)
    if stored.used_at is not None:
        auth_session.revoked_at, auth_session.revoked_reason = utcnow(), "refresh_reuse"
        audit.record(
            session,
            "auth.refresh_reuse",
            "revoked",
            actor_id=auth_session.user_id,
            ip=ip,
            object_type="auth_session",
            object_id=auth_session.id,
        )
        raise RefreshTokenReused()
    user = await repository.user(session, auth_session.user_id)
    if user is None:
        raise TokenInvalid()
    if Role(user.role) in SECOND_FACTOR_ROLES:
        caller = Principal(user_id=user.id, role=Role(user.role), session_id=auth_session.id)
        await _mark_activity(session, settings, caller, auth_session.last_seen_at or auth_session.created_at)
    stored.used_at = utcnow()
    return user, await _issue(session, settings, user, auth_session)


async def _open_session(session: AsyncSession, session_id: str) -> AuthSession:
    auth_session = await repository.auth_session(session, session_id)
    if auth_session is None or auth_session.revoked_at is not None or auth_session.expires_at <= utcnow():
        raise TokenInvalid()
    return auth_session


async def authenticate(session: AsyncSession, settings: Settings, access_token: str) -> Principal:
    """The caller behind a valid access token whose session is still open: one query."""
    claims = read_token(settings, access_token, "access")
    caller = await repository.open_session_caller(session, str(claims.get("sid")), claims["sub"], utcnow())
    if caller is None:
        raise TokenInvalid()
    principal = Principal(
        user_id=claims["sub"],
        role=Role(caller.role),
        session_id=claims["sid"],
        agency_code=caller.agency_code,
    )
    if principal.role in SECOND_FACTOR_ROLES:
        await _mark_activity(session, settings, principal, caller.last_seen_at or caller.created_at)
    return principal


async def _mark_activity(
    session: AsyncSession, settings: Settings, principal: Principal, last_seen: datetime
) -> None:
    """Ends an idle privileged session; otherwise notes the activity (at most once a minute)."""
    now = utcnow()
    if now - last_seen > settings.session_idle_timeout:
        await revoke_session(session, principal.session_id, "idle")
        audit.record(
            session,
            "auth.session_idle",
            "revoked",
            actor_id=principal.user_id,
            object_type="auth_session",
            object_id=principal.session_id,
        )
        raise SessionIdle()
    if now - last_seen >= ACTIVITY_GRANULARITY:
        await repository.touch_session(session, principal.session_id, now)


async def revoke_session(session: AsyncSession, session_id: str, reason: str) -> None:
    await _revoke(session, AuthSession.id == session_id, reason)


async def revoke_all_sessions(session: AsyncSession, user_id: str, reason: str) -> None:
    await _revoke(session, AuthSession.user_id == user_id, reason)


async def revoke_other_sessions(
    session: AsyncSession, user_id: str, keep_session_id: str, reason: str
) -> None:
    """Every session of ``user_id`` but the caller's own."""
    await _revoke(session, (AuthSession.user_id == user_id) & (AuthSession.id != keep_session_id), reason)


async def _revoke(session: AsyncSession, which, reason: str) -> None:
    await repository.revoke_sessions(session, which, reason, utcnow())
