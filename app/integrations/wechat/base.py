"""WeChat mini-program server APIs the service uses."""

from dataclasses import dataclass
from typing import Any, Protocol

# Documented errcodes the service reacts to.
CODE_INVALID = 40029
USER_BLOCKED = 40226
FREQUENCY_LIMITED = 45011
SYSTEM_BUSY = -1
TOKEN_INVALID = 40001
TOKEN_EXPIRED = 42001


@dataclass(frozen=True)
class WeChatIdentity:
    openid: str
    unionid: str | None = None


class WeChatError(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WeChatClient(Protocol):
    async def code_to_session(self, code: str) -> WeChatIdentity:
        """``wx.login`` code → the user's openid (``jscode2session``)."""

    async def access_token(self) -> str:
        """The stable access token, shared by every worker until shortly before it expires."""

    async def send_subscribe_message(
        self, *, openid: str, template_id: str, page: str, data: dict[str, Any]
    ) -> None:
        """A subscribe message (订阅消息) to one user."""
