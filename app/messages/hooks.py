"""What messages does when auth announces something (subscribed in ``app.api.wire_domains``)."""

from app.auth.events import WeChatBound
from app.core.db import utcnow
from app.core.schemas import china_time
from app.messages.service import post_message


def wechat_bound(event: WeChatBound) -> None:
    """微信绑定 (issue 14 point 4): the account is told of every new binding."""
    post_message(
        event.session,
        event.user.id,
        category="account",
        title="账号已绑定微信",
        body=f"您的账号于 {china_time(utcnow()):%Y-%m-%d %H:%M} 绑定了微信，此后可在该微信中直接登录。"
        "如非本人操作，请立即在“用户信息”中解除微信绑定并修改密码。",
        subject_type="user",
        subject_id=event.user.id,
    )
