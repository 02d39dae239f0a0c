"""系统管理员: the machine clients (系统对接) of the authority's own systems — register, change,
rotate the secret, replace the public keys, revoke. A secret is shown once and stored only as a
digest; a rotation, new keys or a revocation raise the client's credentials version, so every
token issued before stops working at once. Every act is in the audit trail."""

import ipaddress

from sqlalchemy import desc, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.admin.schemas import ClientCreate, ClientCredentials, ClientJwks, ClientRead, ClientUpdate
from app.admin.service import AdminAction
from app.agencies.models import Agency
from app.agencies.service import agency_ref
from app.auth import clients
from app.auth.models import MachineClient
from app.core.auth import Role, Scope
from app.core.db import utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.pagination import keyset, page_of
from app.core.schemas import Coded
from app.core.security import check_public_jwk

_KEY_PROBLEMS = {
    "private": "只能登记公钥：密钥含有私钥参数",
    "algorithm": "密钥类型与算法不符（仅支持 ES256 的 EC 密钥与 RS256 的 RSA 密钥）",
    "curve": "EC 密钥须为 P-256 曲线",
    "malformed": "公钥无效：无法解析为 ES256 或 RS256 公钥",
    "weak": "RSA 公钥至少 2048 位",
}


class ClientNotFound(NotFound):
    code = "admin.client_not_found"
    title = "对接客户端不存在"


class ClientRevoked(AppError):
    status = 409
    code = "admin.client_revoked"
    title = "该对接客户端已被吊销，不能再变更"


def _networks(networks: list[str]) -> list[str]:
    """The networks, canonical (host bits cleared), once each."""
    canonical, problems = [], []
    for index, network in enumerate(networks):
        try:
            value = str(ipaddress.ip_network(network, strict=False))
        except ValueError:
            problems.append((("body", "allowed_sources", index), f"不是有效的网段（CIDR）：{network}", "network"))
            continue
        if value not in canonical:
            canonical.append(value)
    if problems:
        raise InvalidInput(problems)
    return canonical


def _jwks(jwks: ClientJwks, where: tuple[str, ...]) -> dict:
    keys = [key.model_dump(exclude_none=True) for key in jwks.keys]
    problems = []
    for index, key in enumerate(keys):
        try:
            check_public_jwk(key)
        except ValueError as error:
            message = _KEY_PROBLEMS.get(str(error), _KEY_PROBLEMS["malformed"])
            problems.append(((*where, "keys", index), message, "jwks.invalid_key"))
    if problems:
        raise InvalidInput(problems)
    return {"keys": keys}


def _scopes(scopes: list[Scope]) -> list[str]:
    return sorted({scope.value for scope in scopes})


async def register(action: AdminAction, body: ClientCreate) -> ClientCredentials:
    session = action.session
    if await session.get(Agency, body.agency_code) is None:
        raise InvalidInput([(("body", "agency_code"), "所服务的海事机构不存在", "unknown_agency")])
    networks = _networks(body.allowed_sources)
    jwks = _jwks(body.jwks, ("body", "jwks")) if body.jwks is not None else None
    if not body.secret and jwks is None:  # the schema says so too (ClientCreate)
        raise InvalidInput([(("body", "jwks"), "不生成客户端密钥时须登记公钥（jwks）", "missing")])
    user = User(role=Role.integration, display_name=body.name, agency_code=body.agency_code)
    session.add(user)
    await session.flush()
    secret = clients.new_secret() if body.secret else None
    client = MachineClient(
        user_id=user.id,
        owner=body.responsible_unit,
        scopes=_scopes(body.scopes),
        allowed_sources=networks,
        secret_hash=clients.secret_hash(secret) if secret else None,
        public_jwks=jwks,
        rate_limit_per_minute=body.rate_limit_per_minute,
        credentials_version=1,
    )
    session.add(client)
    await session.flush()
    _record(action, "admin.client_register", client, scopes=client.scopes, secret=secret is not None,
            keys=len(jwks["keys"]) if jwks else 0)
    return await _credentials(session, client, secret)


async def clients_page(
    session: AsyncSession, *, cursor: str | None, limit: int
) -> tuple[list[ClientRead], str | None]:
    newest_first = [(MachineClient.created_at, desc), (MachineClient.user_id, desc)]
    rows = list(await session.scalars(keyset(select(MachineClient), newest_first, cursor, limit)))
    page, next_cursor = page_of(rows, limit, newest_first)
    return [await read(session, client) for client in page], next_cursor


async def client_for_change(action: AdminAction, client_id: str) -> MachineClient:
    """The client, locked for the change; a revoked one stays as it is."""
    client = await action.session.get(MachineClient, client_id, with_for_update=True)
    if client is None:
        raise ClientNotFound()
    if client.revoked_at is not None:
        raise ClientRevoked()
    return client


async def existing(session: AsyncSession, client_id: str) -> MachineClient:
    client = await session.get(MachineClient, client_id)
    if client is None:
        raise ClientNotFound()
    return client


async def update(action: AdminAction, client: MachineClient, body: ClientUpdate) -> ClientRead:
    user = await action.session.get(User, client.user_id)
    networks = _networks(body.allowed_sources)
    user.display_name = body.name
    client.owner = body.responsible_unit
    client.scopes = _scopes(body.scopes)
    client.allowed_sources = networks
    client.rate_limit_per_minute = body.rate_limit_per_minute
    await action.session.flush()
    _record(action, "admin.client_update", client, scopes=client.scopes,
            allowed_sources=len(networks), rate_limit_per_minute=client.rate_limit_per_minute)
    return await read(action.session, client)


async def rotate_secret(action: AdminAction, client: MachineClient) -> ClientCredentials:
    secret = clients.new_secret()
    client.secret_hash = clients.secret_hash(secret)
    client.credentials_version += 1
    client.rotated_at = utcnow()
    await action.session.flush()
    _record(action, "admin.client_rotate_secret", client, credentials_version=client.credentials_version)
    return await _credentials(action.session, client, secret)


async def set_jwks(action: AdminAction, client: MachineClient, body: ClientJwks) -> ClientRead:
    client.public_jwks = _jwks(body, ("body",))
    client.credentials_version += 1
    client.rotated_at = utcnow()
    await action.session.flush()
    _record(action, "admin.client_set_jwks", client, keys=len(client.public_jwks["keys"]),
            credentials_version=client.credentials_version)
    return await read(action.session, client)


async def revoke(action: AdminAction, client: MachineClient) -> ClientRead:
    client.revoked_at = utcnow()
    client.credentials_version += 1
    await action.session.flush()
    _record(action, "admin.client_revoke", client, credentials_version=client.credentials_version)
    return await read(action.session, client)


def _record(action: AdminAction, event: str, client: MachineClient, **detail) -> None:
    action.record(event, "success", client.user_id, **detail)


async def read(session: AsyncSession, client: MachineClient) -> ClientRead:
    user = await session.get(User, client.user_id)
    agency = await session.get(Agency, user.agency_code) if user.agency_code else None
    return ClientRead(
        id=client.user_id,
        name=user.display_name or "",
        responsible_unit=client.owner,
        agency=agency_ref(agency) if agency else None,
        scopes=[Coded(code=scope, label=Scope(scope).label) for scope in client.scopes],
        allowed_sources=list(client.allowed_sources),
        rate_limit_per_minute=client.rate_limit_per_minute,
        has_secret=client.secret_hash is not None,
        key_ids=[key.get("kid") for key in (client.public_jwks or {}).get("keys", [])],
        credentials_version=client.credentials_version,
        created_at=client.created_at,
        rotated_at=client.rotated_at,
        revoked_at=client.revoked_at,
    )


async def _credentials(session: AsyncSession, client: MachineClient, secret: str | None) -> ClientCredentials:
    shown = await read(session, client)
    return ClientCredentials(**dict(shown), client_id=client.user_id, client_secret=secret)
