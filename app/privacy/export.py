"""导出我的数据: one archive of everything held about the signed-in account, section by section.

The account itself (profile, consents, sign-in history) is privacy's and the layers below it;
the domains above hand in their sections through ``app.privacy.registry``. The typed archive
(``app.me.schemas.DataExport``) is assembled on top, where every domain's schema is known.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.accounts.models import User
from app.audit import service as audit
from app.audit.models import AuditEvent
from app.core.db import utcnow
from app.core.pii import PersonalDataCipher
from app.core.schemas import Coded
from app.privacy import consents
from app.privacy.registry import registered
from app.privacy.schemas import AccountEventRecord

ACCOUNT_EVENTS = {
    "auth.register": "注册",
    "auth.login_face": "刷脸登录",
    "auth.login_password": "密码登录",
    "auth.login_wechat": "微信登录",
    "auth.logout": "退出登录",
    "auth.lockout": "登录失败次数过多，暂停登录",
    "auth.password_reset": "找回密码",
    "auth.password_change": "修改密码",
    "auth.phone_change": "修改手机号码",
    "auth.wechat_bind": "绑定微信",
    "auth.wechat_unbind": "解除微信绑定",
    "auth.refresh_reuse": "登录凭证重复使用",
    "account.export": "导出我的数据",
    "privacy.consent": "同意或撤回个人信息处理",
}


async def export(session: AsyncSession, pii: PersonalDataCipher, user: User, ip: str) -> dict[str, object]:
    """Only rows that belong to ``user``: staff and administrators get their own account, not
    the applications they reviewed. The archive's fields, in the order they are gathered."""
    uid = user.id
    exporters = registered().exporters
    archive: dict[str, object] = {
        "exported_at": utcnow(),
        "profile": await accounts.profile(session, pii, user, unmasked=True),
    }
    for section, exporter in exporters.items():
        archive[section] = await exporter(session, pii, uid)
    archive["consents"] = await consents.of_user(session, uid)
    archive["account_events"] = await _account_events(session, uid)
    audit.record(session, "account.export", "success", actor_id=uid, ip=ip, object_type="user", object_id=uid)
    return archive


async def _account_events(session: AsyncSession, uid: str) -> list[AccountEventRecord]:
    rows = await session.scalars(
        select(AuditEvent)
        .where(AuditEvent.actor_id == uid, AuditEvent.event.in_(ACCOUNT_EVENTS))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    return [
        AccountEventRecord(
            occurred_at=row.occurred_at,
            event=Coded(code=row.event, label=ACCOUNT_EVENTS[row.event]),
            outcome=row.outcome,
            ip=row.ip,
        )
        for row in rows
    ]
