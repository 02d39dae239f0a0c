"""导出我的数据: one JSON archive of everything held about the signed-in account."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.accounts.models import User
from app.applications import presenter
from app.applications.models import Application
from app.applications.service import CONTACT_PHONE
from app.applications.state_machine import Actor
from app.audit import service as audit
from app.audit.models import AuditEvent
from app.certificates import corrections
from app.certificates import service as certificates
from app.core.db import utcnow
from app.core.pii import PersonalDataCipher
from app.core.schemas import Coded
from app.evaluations import service as evaluations
from app.materials import service as materials
from app.messages import service as messages
from app.privacy import consents
from app.privacy.schemas import AccountEventRecord, DataExport
from app.ships import service as ships
from app.ships.schemas import ShipRead

T = TypeVar("T")
PAGE = 100

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


async def _every(fetch: Callable[[str | None], Awaitable[tuple[list[T], str | None]]]) -> list[T]:
    """Every item of a paginated list, page after page."""
    items, cursor = [], None
    while True:
        page, cursor = await fetch(cursor)
        items += page
        if cursor is None:
            return items


async def export(session: AsyncSession, pii: PersonalDataCipher, user: User, ip: str) -> DataExport:
    """Only rows that belong to ``user``: staff and administrators get their own account, not
    the applications they reviewed."""
    uid = user.id
    archive = DataExport(
        exported_at=utcnow(),
        profile=await accounts.profile(session, pii, user, unmasked=True),
        ships=[ShipRead.model_validate(ship) for ship in await ships.list_ships(session, uid)],
        applications=await _applications(session, pii, uid),
        materials=await _every(lambda c: materials.list_materials(session, uid, cursor=c, limit=PAGE)),
        certificates=[
            await certificates.certificate_detail(session, uid, card.id)
            for card in await _every(
                lambda c: certificates.list_certificates(session, uid, type_code=None, cursor=c, limit=PAGE)
            )
        ],
        corrections=await _every(lambda c: corrections.my_corrections(session, uid, cursor=c, limit=PAGE)),
        messages=await _every(
            lambda c: messages.list_messages(session, uid, cursor=c, limit=PAGE, unread_only=False)
        ),
        evaluations=await _every(
            lambda c: evaluations.list_evaluations(session, cursor=c, limit=PAGE, evaluator_id=uid)
        ),
        consents=await consents.of_user(session, uid),
        account_events=await _account_events(session, uid),
    )
    audit.record(session, "account.export", "success", actor_id=uid, ip=ip, object_type="user", object_id=uid)
    return archive


async def _applications(session: AsyncSession, pii: PersonalDataCipher, uid: str) -> list:
    # Whole applications, forms included (the 我的办件 list loads only what an entry shows).
    rows = await session.scalars(
        select(Application)
        .where(Application.applicant_id == uid)
        .order_by(Application.created_at, Application.id)
    )
    reads = []
    for application in rows:
        read = await presenter.detail(session, pii, application, viewer=Actor.applicant)
        if application.contact_phone_encrypted:  # the applicant's own value, unmasked
            read.contact_phone = pii.decrypt(application.contact_phone_encrypted, purpose=CONTACT_PHONE)
        reads.append(read)
    return reads


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
