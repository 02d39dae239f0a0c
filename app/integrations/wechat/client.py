"""The real WeChat server API over httpx."""

from datetime import timedelta
from typing import Any

import httpx

from app.core.db import utcnow
from app.core.errors import ExternalServiceUnavailable
from app.integrations.wechat.base import TOKEN_EXPIRED, TOKEN_INVALID, WeChatError, WeChatIdentity
from app.integrations.wechat.token_cache import SharedTokenCache

ACCESS_TOKEN = "wechat.access_token"
# Renew before WeChat does, so no request goes out with a token about to lapse.
EXPIRY_MARGIN = timedelta(minutes=5)


class WeChatApiClient:
    def __init__(
        self, http: httpx.AsyncClient, *, app_id: str, app_secret: str, token_cache: SharedTokenCache
    ) -> None:
        self._http = http
        self._app_id = app_id
        self._app_secret = app_secret
        self._tokens = token_cache

    async def code_to_session(self, code: str) -> WeChatIdentity:
        body = await self._call(
            "GET",
            "/sns/jscode2session",
            params={
                "appid": self._app_id,
                "secret": self._app_secret,
                "js_code": code,
                "grant_type": "authorization_code",
            },
        )
        return WeChatIdentity(openid=body["openid"], unionid=body.get("unionid"))

    async def access_token(self) -> str:
        cached = await self._tokens.get(ACCESS_TOKEN)
        return cached if cached is not None else await self._fetch_access_token(force_refresh=False)

    async def send_subscribe_message(
        self, *, openid: str, template_id: str, page: str, data: dict[str, Any]
    ) -> None:
        message = {
            "touser": openid,
            "template_id": template_id,
            "page": page,
            "data": {key: {"value": value} for key, value in data.items()},
            "lang": "zh_CN",
        }
        await self.call_with_token("POST", "/cgi-bin/message/subscribe/send", json=message)

    async def call_with_token(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """An API call authorised by the access token; renews it once if WeChat rejects it."""
        try:
            return await self._call(
                method, path, params={"access_token": await self.access_token()}, **kwargs
            )
        except WeChatError as error:
            if error.errcode not in (TOKEN_INVALID, TOKEN_EXPIRED):
                raise
        token = await self._fetch_access_token(force_refresh=True)
        return await self._call(method, path, params={"access_token": token}, **kwargs)

    async def _fetch_access_token(self, *, force_refresh: bool) -> str:
        body = await self._call(
            "POST",
            "/cgi-bin/stable_token",
            json={
                "grant_type": "client_credential",
                "appid": self._app_id,
                "secret": self._app_secret,
                "force_refresh": force_refresh,
            },
        )
        expires_at = utcnow() + timedelta(seconds=int(body["expires_in"])) - EXPIRY_MARGIN
        await self._tokens.put(ACCESS_TOKEN, body["access_token"], expires_at)
        return body["access_token"]

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._http.request(method, path, **kwargs)
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ExternalServiceUnavailable("微信服务暂时不可用，请稍后重试") from error
        if body.get("errcode", 0) != 0:
            raise WeChatError(body["errcode"], body.get("errmsg", ""))
        return body
