"""系统管理员: the machine clients (系统对接) that the authority's own systems sign in as."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from app.admin import clients
from app.admin.deps import SystemAdmin
from app.admin.schemas import ClientCreate, ClientCredentials, ClientJwks, ClientRead, ClientUpdate
from app.auth.models import MachineClient
from app.core.auth import ROLE_ERRORS
from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import ID_PATTERN, Page

router = APIRouter(prefix="/admin/clients", tags=["clients"])

ClientId = Annotated[str, Path(pattern=ID_PATTERN, description="客户端标识（client_id）")]


async def _client_for_change(action: SystemAdmin, client_id: ClientId) -> MachineClient:
    return await clients.client_for_change(action, client_id)


async def _client_to_read(action: SystemAdmin, client_id: ClientId) -> MachineClient:
    return await clients.existing(action.session, client_id)


ClientToChange = Annotated[MachineClient, Depends(_client_for_change)]
ClientToRead = Annotated[MachineClient, Depends(_client_to_read)]
CHANGE_ERRORS = (*ROLE_ERRORS, clients.ClientNotFound, clients.ClientRevoked)
ONCE = "客户端密钥仅在本响应中显示这一次，服务端只保存其摘要。"


@router.post(
    "",
    summary="登记对接客户端（系统对接）",
    description="登记机构自有系统（证照库、后台业务系统等）的机器客户端：所服务的机构、权限范围、允许的来源网段、"
    "每分钟调用上限，以及认证方式——服务端生成的客户端密钥（`secret`）和/或 private_key_jwt 公钥（`jwks`，"
    "仅限 ES256/RS256 公钥）。" + ONCE,
    status_code=status.HTTP_201_CREATED,
    response_model=ClientCredentials,
    responses=error_responses(*ROLE_ERRORS),
)
async def register_client(body: ClientCreate, action: SystemAdmin) -> ClientCredentials:
    return await clients.register(action, body)


@router.get(
    "",
    summary="对接客户端（最新在前）",
    description="不含任何密钥。",
    response_model=Page[ClientRead],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_clients(
    action: SystemAdmin, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[ClientRead]:
    items, next_cursor = await clients.clients_page(action.session, cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/{client_id}",
    summary="对接客户端详情",
    description="不含任何密钥。",
    response_model=ClientRead,
    responses=error_responses(*ROLE_ERRORS, clients.ClientNotFound),
)
async def get_client(action: SystemAdmin, client: ClientToRead) -> ClientRead:
    return await clients.read(action.session, client)


@router.put(
    "/{client_id}",
    summary="修改对接客户端",
    description="名称、负责单位、权限范围、允许的来源网段与调用上限；收回的权限范围与来源网段立即生效。",
    response_model=ClientRead,
    responses=error_responses(*CHANGE_ERRORS),
)
async def update_client(body: ClientUpdate, action: SystemAdmin, client: ClientToChange) -> ClientRead:
    return await clients.update(action, client, body)


@router.post(
    "/{client_id}/secret",
    summary="轮换客户端密钥",
    description="生成新的客户端密钥；旧密钥及以其取得的全部访问令牌立即失效。" + ONCE,
    response_model=ClientCredentials,
    responses=error_responses(*CHANGE_ERRORS, validation=False),
)
async def rotate_client_secret(action: SystemAdmin, client: ClientToChange) -> ClientCredentials:
    return await clients.rotate_secret(action, client)


@router.put(
    "/{client_id}/jwks",
    summary="登记 private_key_jwt 公钥",
    description="以新的公钥集（JWKS，仅限 ES256/RS256 公钥，不得含私钥参数）替换原有公钥；已取得的访问令牌立即失效。",
    response_model=ClientRead,
    responses=error_responses(*CHANGE_ERRORS),
)
async def set_client_jwks(body: ClientJwks, action: SystemAdmin, client: ClientToChange) -> ClientRead:
    return await clients.set_jwks(action, client, body)


@router.post(
    "/{client_id}/revoke",
    summary="吊销对接客户端",
    description="吊销不可撤销：该客户端的全部访问令牌立即失效，此后不能再取得令牌。",
    response_model=ClientRead,
    responses=error_responses(*CHANGE_ERRORS, validation=False),
)
async def revoke_client(action: SystemAdmin, client: ClientToChange) -> ClientRead:
    return await clients.revoke(action, client)
