"""Machine clients (系统对接): the access tokens of the OAuth 2.0 client-credentials grant, and
the caller behind one.

A client token lives ``CLIENT_TOKEN_TTL`` and names the scopes granted at issue (``scope``) and
the client's credentials version (``cv``). Every request looks the client up once more, so a
revocation, a rotation (both raise the version), a withdrawn scope or a source address outside
the allowed networks takes effect at once, on every worker.
"""

import base64
import binascii
import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar
from urllib.parse import unquote_plus

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.audit import service as audit
from app.auth.models import MachineClient
from app.auth.tokens import read_token, sign
from app.core import throttle
from app.core.auth import Forbidden, Principal, Role, Scope, TokenInvalid
from app.core.config import Settings
from app.core.db import new_id, utcnow
from app.core.errors import AppError
from app.core.security import InvalidToken, TokenExpired, unverified_claims, verify_signed_by_any


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


@dataclass(frozen=True)
class Caller:
    """The client behind a request and the calls a minute it may make."""

    principal: Principal
    rate_limit_per_minute: int


async def authenticate(session: AsyncSession, settings: Settings, access_token: str, ip: str) -> Principal:
    """The client behind a valid client token, if it is still registered as the token says: one
    query. The scopes are those of the token still granted to the client."""
    return (await caller(session, settings, access_token, ip)).principal


async def caller(session: AsyncSession, settings: Settings, access_token: str, ip: str) -> Caller:
    """:func:`authenticate`, with the client's own rate limit (the same one query)."""
    claims = read_token(settings, access_token, "client")
    row = (
        await session.execute(
            select(
                MachineClient.scopes,
                MachineClient.allowed_sources,
                MachineClient.credentials_version,
                MachineClient.rate_limit_per_minute,
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
    principal = Principal(
        user_id=claims["sub"],
        role=Role.integration,
        session_id=str(claims.get("jti", new_id())),
        agency_code=row.agency_code,
        scopes=frozenset(str(claims.get("scope", "")).split()) & frozenset(row.scopes),
    )
    return Caller(principal, row.rate_limit_per_minute)


# --- Client credentials: secrets and public keys ----------------------------------------------

SECRET_BYTES = 32  # 256 bits: a secret this long needs no slow KDF, one SHA-256 is enough
_HASH_PREFIX = "sha256:"
# Compared against when the client does not exist or has no secret, so every case costs the same.
_NO_SECRET = _HASH_PREFIX + "0" * 64


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    return _HASH_PREFIX + hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(stored: str | None, secret: str) -> bool:
    """Constant time, whether or not there is a stored hash."""
    matches = hmac.compare_digest((stored or _NO_SECRET).encode(), secret_hash(secret).encode())
    return matches and stored is not None


# --- POST /oauth/token (RFC 6749 §4.4, client authentication by RFC 7523 private_key_jwt) -------

GRANT_TYPE = "client_credentials"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_MAX_AHEAD = timedelta(minutes=5)
ASSERTION_LEEWAY = timedelta(seconds=30)
# A used jti is remembered longer than any assertion may live.
JTI_MEMORY = ASSERTION_MAX_AHEAD + ASSERTION_LEEWAY + timedelta(minutes=1)
# Failed client authentications per source address: this many in the window hold the address.
FAILURES_ALLOWED = 10
FAILURE_WINDOW = timedelta(minutes=10)
# What each form parameter may hold at most (the token route's OpenAPI form schema says the same).
PARAMETER_MAX_LENGTH = {
    "grant_type": 64,
    "scope": 512,
    "client_id": 64,
    "client_secret": 256,
    "client_assertion_type": 128,
    "client_assertion": 8192,
}


class OAuthError(AppError):
    """An RFC 6749 §5.2 error: this API's problem with the RFC's ``error`` member added."""

    error: ClassVar[str] = "invalid_request"

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail, headers=headers, extensions={"error": self.error})


class InvalidRequest(OAuthError):
    status = 400
    code = "oauth.invalid_request"
    title = "令牌请求格式有误"
    error = "invalid_request"


class InvalidClient(OAuthError):
    status = 401
    code = "oauth.invalid_client"
    title = "客户端认证失败"
    error = "invalid_client"
    keep_changes = True  # the failure counter of the address and the audit event stay
    audited = True


class InvalidScope(OAuthError):
    status = 400
    code = "oauth.invalid_scope"
    title = "申请的权限范围无效或超出该客户端的授权"
    error = "invalid_scope"


class UnsupportedGrantType(OAuthError):
    status = 400
    code = "oauth.unsupported_grant_type"
    title = "不支持的授权类型，仅支持 client_credentials"
    error = "unsupported_grant_type"


TOKEN_ERRORS = (InvalidRequest, InvalidClient, InvalidScope, UnsupportedGrantType, throttle.RateLimited)


@dataclass(frozen=True)
class IssuedClientToken:
    access_token: str
    expires_in: int
    scope: str
    token_type: str = "Bearer"


@dataclass(frozen=True)
class _Presented:
    """How the client said who it is: its id, and the secret or the assertion."""

    method: str  # client_secret_basic | client_secret_post | private_key_jwt
    client_id: str
    secret: str | None = None
    assertion: str | None = None


def _single(form: dict[str, list[str]], name: str) -> str | None:
    values = form.get(name, [])
    if len(values) > 1:
        raise InvalidRequest(f"参数 {name} 只能出现一次")
    if values and len(values[0]) > PARAMETER_MAX_LENGTH[name]:
        raise InvalidRequest(f"参数 {name} 过长（至多 {PARAMETER_MAX_LENGTH[name]} 个字符）")
    return values[0] if values else None


def _basic(authorization: str | None) -> tuple[str, str] | None:
    scheme, _, credentials = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None  # a Bearer token of some caller is no client authentication
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidClient("HTTP Basic 认证信息无法解析", headers=_CHALLENGE) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise InvalidClient("HTTP Basic 认证信息无法解析", headers=_CHALLENGE)
    # RFC 6749 §2.3.1: both are form-urlencoded before they are joined.
    return unquote_plus(client_id), unquote_plus(secret)


_CHALLENGE = {"WWW-Authenticate": 'Basic realm="oauth", charset="UTF-8"'}


def _presented(form: dict[str, list[str]], authorization: str | None) -> _Presented:
    client_id = _single(form, "client_id")
    secret = _single(form, "client_secret")
    assertion_type = _single(form, "client_assertion_type")
    assertion = _single(form, "client_assertion")
    basic = _basic(authorization)
    methods = [basic is not None, secret is not None, assertion is not None or assertion_type is not None]
    if sum(methods) != 1:
        raise InvalidClient(
            "须且只能使用一种客户端认证方式：HTTP Basic、表单中的 client_id 与 client_secret，"
            "或 client_assertion（private_key_jwt）",
            headers=_CHALLENGE if basic is not None else None,
        )
    if basic is not None:
        if client_id is not None and client_id != basic[0]:
            raise InvalidClient("表单中的 client_id 与 HTTP Basic 认证信息不一致", headers=_CHALLENGE)
        return _Presented("client_secret_basic", basic[0], secret=basic[1])
    if secret is not None:
        if client_id is None:
            raise InvalidClient("缺少 client_id")
        return _Presented("client_secret_post", client_id, secret=secret)
    if assertion_type != ASSERTION_TYPE or not assertion:
        raise InvalidClient(f"client_assertion_type 须为 {ASSERTION_TYPE}，并提供 client_assertion")
    try:
        subject = unverified_claims(assertion).get("sub")
    except InvalidToken:
        raise InvalidClient("client_assertion 不是有效的 JWT") from None
    if client_id is None and isinstance(subject, str):
        client_id = subject
    if client_id is None:
        raise InvalidClient("client_assertion 须以 sub 声明客户端标识")
    return _Presented("private_key_jwt", client_id, assertion=assertion)


class TokenRequest:
    """One request at the token endpoint, from ``ip``; ``endpoint`` is its own URL (an assertion's
    ``aud`` names it or the token issuer)."""

    def __init__(self, session: AsyncSession, settings: Settings, ip: str, endpoint: str) -> None:
        self.session = session
        self.settings = settings
        self.ip = ip
        self.endpoint = endpoint

    async def issue(self, form: dict[str, list[str]], authorization: str | None) -> IssuedClientToken:
        until = await throttle.held_until(self.session, self._hold_key)
        if until is not None:
            retry_after = max(1, int((until - utcnow()).total_seconds()) + 1)
            raise throttle.RateLimited(
                "客户端认证失败次数过多，请稍后再试", headers={"Retry-After": str(retry_after)}
            )
        grant_type = _single(form, "grant_type")
        requested = _single(form, "scope")
        try:
            presented = _presented(form, authorization)
        except InvalidClient as error:
            await self._failed(None, "malformed", error)
        client = await self._client(presented.client_id)
        problem = await self._check(client, presented)
        if problem is not None:
            await self._failed(client, problem, InvalidClient(headers=self._challenge(presented)))
        if not source_allowed(client.allowed_sources, self.ip):
            refusal = InvalidClient(headers=self._challenge(presented))
            await self._failed(client, "source_refused", refusal)
        if grant_type is None:
            raise InvalidRequest("缺少参数 grant_type")
        if grant_type != GRANT_TYPE:
            raise UnsupportedGrantType()
        scopes = _granted(client, requested)
        audit.record(
            self.session,
            "oauth.token",
            "success",
            actor_id=client.user_id,
            ip=self.ip,
            object_type="machine_client",
            object_id=client.user_id,
            detail={"method": presented.method, "scope": " ".join(sorted(scopes))},
        )
        return IssuedClientToken(
            access_token=issue_access_token(self.settings, client, scopes),
            expires_in=int(self.settings.client_token_ttl.total_seconds()),
            scope=" ".join(sorted(scopes)),
        )

    @property
    def _hold_key(self) -> str:
        return f"oauth:hold:{self.ip}"

    @staticmethod
    def _challenge(presented: _Presented) -> dict[str, str] | None:
        return _CHALLENGE if presented.method == "client_secret_basic" else None

    async def _client(self, client_id: str) -> MachineClient | None:
        return await self.session.scalar(
            select(MachineClient)
            .join(User, User.id == MachineClient.user_id)
            .where(
                MachineClient.user_id == client_id,
                MachineClient.revoked_at.is_(None),
                User.disabled_at.is_(None),
                User.deleted_at.is_(None),
            )
        )

    async def _check(self, client: MachineClient | None, presented: _Presented) -> str | None:
        """Why the client's authentication fails (the audit event's outcome), or None."""
        if presented.secret is not None:
            matches = secret_matches(client.secret_hash if client else None, presented.secret)
            return None if matches and client is not None else "invalid_secret"
        if client is None or not client.public_jwks:
            return "unknown_client" if client is None else "no_public_keys"
        return await self._check_assertion(client, presented.assertion or "")

    async def _check_assertion(self, client: MachineClient, assertion: str) -> str | None:
        try:
            claims = verify_signed_by_any(assertion, list(client.public_jwks.get("keys", [])))
        except TokenExpired:
            return "expired"
        except InvalidToken:
            return "bad_signature"
        if claims.get("iss") != client.user_id or claims.get("sub") != client.user_id:
            return "wrong_subject"
        audiences = claims.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else audiences
        ours = {self.endpoint, self.settings.token_issuer}
        if not isinstance(audiences, list) or not ours & {str(audience) for audience in audiences}:
            return "wrong_audience"
        expires = claims.get("exp")
        latest = (utcnow() + ASSERTION_MAX_AHEAD + ASSERTION_LEEWAY).timestamp()
        if not isinstance(expires, int | float) or expires > latest:
            return "too_long_lived"
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti or len(jti) > 256:
            return "no_jti"
        # Single use: the first request to count the jti takes it; a replay counts it again.
        digest = hashlib.sha256(f"{client.user_id}\n{jti}".encode()).hexdigest()[:48]
        if await throttle.count_since_first(self.session, f"oauth:jti:{digest}", window=JTI_MEMORY) > 1:
            return "replayed"
        return None

    async def _failed(self, client: MachineClient | None, reason: str, error: InvalidClient):
        """Count the failure against the address (holding it once there are too many), record
        it, and refuse: an unknown client and a wrong secret get the same answer."""
        failures = await throttle.count_since_first(
            self.session, f"oauth:fail:{self.ip}", window=FAILURE_WINDOW
        )
        if failures >= FAILURES_ALLOWED:
            await throttle.hold(self.session, self._hold_key, utcnow() + FAILURE_WINDOW)
        audit.record(
            self.session,
            "oauth.token",
            reason,
            actor_id=client.user_id if client else None,
            ip=self.ip,
            object_type="machine_client" if client else None,
            object_id=client.user_id if client else None,
        )
        raise error


def _granted(client: MachineClient, requested: str | None) -> set[str]:
    """The scopes asked for (space-separated), all the client's when none are named."""
    held = set(client.scopes)
    if requested is None or not requested.strip():
        if not held:
            raise InvalidScope("该客户端未获任何权限范围")
        return held
    asked = set(requested.split(" ")) - {""}
    unknown = asked - {scope.value for scope in Scope}
    if unknown:
        raise InvalidScope(f"未知的权限范围：{'、'.join(sorted(unknown))}")
    if not asked <= held:
        raise InvalidScope(f"该客户端未获授权的权限范围：{'、'.join(sorted(asked - held))}")
    return asked
