"""``POST /oauth/token``: machine clients (系统对接) exchange their credentials for an access token
(OAuth 2.0 client-credentials grant, RFC 6749 §4.4; client authentication by ``client_secret_basic``,
``client_secret_post`` or RFC 7523 ``private_key_jwt``). Root path, like the well-known JWKS."""

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Header, Request, Response

from app.auth import clients
from app.auth.deps import TOKEN_URL
from app.auth.schemas import ClientTokenIssued
from app.core.db import SessionDep
from app.core.deps import ClientIp, SettingsDep
from app.core.errors import error_responses

router = APIRouter(tags=["oauth"])

FORM = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 16 * 1024


def _string(description: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "string",
        "maxLength": clients.PARAMETER_MAX_LENGTH[name],
        "description": description,
        **extra,
    }


# The form, as the handler reads it (RFC 6749 wants its own error answers, not a 422).
TOKEN_FORM_SCHEMA = {
    "title": "ClientTokenRequest",
    "type": "object",
    "required": ["grant_type"],
    "properties": {
        "grant_type": _string("授权类型，固定为 client_credentials", "grant_type", enum=[clients.GRANT_TYPE]),
        "scope": _string(
            "申请的权限范围（以空格分隔），须为该客户端已获授权的子集；省略则为其全部权限", "scope",
            examples=["certificates:write"],
        ),
        "client_id": _string("客户端标识（client_secret_post，或与 client_assertion 同用）", "client_id"),
        "client_secret": _string("客户端密钥（client_secret_post；亦可用 HTTP Basic 认证提交）", "client_secret"),
        "client_assertion_type": _string(
            "private_key_jwt：固定为 urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion_type",
            enum=[clients.ASSERTION_TYPE],
        ),
        "client_assertion": _string(
            "private_key_jwt：以已登记公钥对应私钥（RS256 或 ES256）签名的 JWT；iss 与 sub 为客户端标识，"
            "aud 为本端点地址或令牌签发者，exp 至多 5 分钟后，jti 仅可使用一次",
            "client_assertion",
        ),
    },
}


@router.post(
    TOKEN_URL,
    summary="以客户端凭证换取访问令牌（OAuth 2.0 client credentials）",
    description="请求体为 `application/x-www-form-urlencoded`。客户端认证三选一：HTTP Basic（client_id:client_secret）、"
    "表单中的 `client_id` 与 `client_secret`，或 `client_assertion`（private_key_jwt，RFC 7523）。"
    "访问令牌有效期 10 分钟；客户端密钥轮换或客户端被吊销后立即失效。"
    "错误按本接口的 problem+json 返回（`code` 如 `oauth.invalid_client`），并附 RFC 6749 §5.2 的 `error` 成员。"
    "客户端未知与密钥错误的答复相同；同一来源地址认证失败过多将被暂停（429）；来源地址不在该客户端允许的网段内亦认证失败。",
    response_model=ClientTokenIssued,
    responses=error_responses(*clients.TOKEN_ERRORS, validation=False),
    openapi_extra={"requestBody": {"required": True, "content": {FORM: {"schema": TOKEN_FORM_SCHEMA}}}},
)
async def issue_token(
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    ip: ClientIp,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> ClientTokenIssued:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        raise clients.InvalidRequest(f"请求体须为 {FORM}")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise clients.InvalidRequest("请求体过大")
    try:
        form = parse_qs(body.decode(), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise clients.InvalidRequest("请求体须为 UTF-8 编码") from None
    endpoint = str(request.url.replace(query="", fragment=""))
    issued = await clients.TokenRequest(session, settings, ip, endpoint).issue(form, authorization)
    return ClientTokenIssued(
        access_token=issued.access_token,
        token_type=issued.token_type,
        expires_in=issued.expires_in,
        scope=issued.scope,
    )
