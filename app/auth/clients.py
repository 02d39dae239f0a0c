"""Machine clients (系统对接): the access tokens of the OAuth 2.0 client-credentials grant, and
the caller behind one.

A client token lives ``CLIENT_TOKEN_TTL`` and names the scopes granted at issue (``scope``) and
the client's credentials version (``cv``). Every request looks the client up once more, so a
revocation, a rotation (both raise the version), a withdrawn scope or a source address outside
the allowed networks takes effect at once, on every worker.
"""

import ipaddress
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.auth.models import MachineClient
from app.auth.tokens import read_token, sign
from app.core.auth import Forbidden, Principal, Role, Scope, TokenInvalid
from app.core.config import Settings
from app.core.db import new_id, utcnow


class SourceNotAllowed(Forbidden):
    code = "auth.client_source_not_allowed"
    title = "该客户端不允许从此地址访问"


def issue_access_token(settings: Settings, client: MachineClient, scopes: Iterable[Scope]) -> str:
    """A signed client token for ``scopes`` (the caller has checked the client holds them)."""
    return sign(
        settings,
        "client",
        client.user_id,
        utcnow() + settings.client_token_ttl,
        scope=" ".join(sorted(scopes)),
        cv=client.credentials_version,
    )


def source_allowed(allowed_sources: list[str], ip: str) -> bool:
    """Empty ``allowed_sources`` admits any address; otherwise ``ip`` must lie in one network."""
    if not allowed_sources:
        return True
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:  # app.core.client_address.UNKNOWN
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in allowed_sources)


async def authenticate(session: AsyncSession, settings: Settings, access_token: str, ip: str) -> Principal:
    """The client behind a valid client token, if it is still registered as the token says: one
    query. The scopes are those of the token still granted to the client."""
    claims = read_token(settings, access_token, "client")
    row = (
        await session.execute(
            select(
                MachineClient.scopes,
                MachineClient.allowed_sources,
                MachineClient.credentials_version,
                User.agency_code,
            )
            .join(User, User.id == MachineClient.user_id)
            .where(
                MachineClient.user_id == claims["sub"],
                MachineClient.revoked_at.is_(None),
                User.disabled_at.is_(None),
                User.deleted_at.is_(None),
            )
        )
    ).one_or_none()
    if row is None or row.credentials_version != claims.get("cv"):
        raise TokenInvalid()
    if not source_allowed(row.allowed_sources, ip):
        raise SourceNotAllowed()
    return Principal(
        user_id=claims["sub"],
        role=Role.integration,
        session_id=str(claims.get("jti", new_id())),
        agency_code=row.agency_code,
        scopes=frozenset(str(claims.get("scope", "")).split()) & frozenset(row.scopes),
    )
