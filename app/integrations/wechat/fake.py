"""Development WeChat: same shapes as the real API, no network (contract: embedded mode)."""

from typing import Any

from app.integrations.wechat.base import CODE_INVALID, WeChatError, WeChatIdentity


class FakeWeChatClient:
    def __init__(self) -> None:
        self.sent_messages: list[dict[str, Any]] = []

    async def code_to_session(self, code: str) -> WeChatIdentity:
        if code == "invalid":
            raise WeChatError(CODE_INVALID, "invalid code")
        return WeChatIdentity(openid=f"fake-openid-{code}")

    async def access_token(self) -> str:
        return "fake-access-token"

    async def send_subscribe_message(
        self, *, openid: str, template_id: str, page: str, data: dict[str, Any]
    ) -> None:
        self.sent_messages.append({"touser": openid, "template_id": template_id, "page": page, "data": data})
