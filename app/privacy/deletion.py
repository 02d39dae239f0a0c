"""注销账号: erase the person, keep what the law requires, de-identified from them.

The domains above privacy refuse (``deletion_checks``) and erase their own rows (``erasers``)
through ``app.privacy.registry``; the flow with its face verification is ``app.me.service``.
"""

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import CorporateProfile, PersonalProfile, User
from app.core.auth import Role
from app.core.db import utcnow
from app.core.errors import AppError
from app.core.idempotency import IdempotencyRecord
from app.integrations.storage.base import ObjectStorage
from app.privacy.models import Consent
from app.privacy.registry import registered

DELETED_NAME = "已注销用户"


class DeletionNotSelfService(AppError):
    status = 403
    code = "account.deletion_not_allowed"
    title = "工作人员和管理员账号请联系系统管理员注销"


def account_holder(user: User) -> User:
    """Only citizens and companies close their own accounts; the others are an operator's."""
    if user.role not in (Role.personal, Role.corporate):
        raise DeletionNotSelfService()
    return user


async def refuse_if_not_closable(session: AsyncSession, user: User) -> None:
    """Each domain's reason not to close the account yet (e.g. an application in progress)."""
    for check in registered().deletion_checks:
        await check(session, user.id)


async def erase(session: AsyncSession, storage: ObjectStorage, user: User) -> None:
    """Gone: the identity, contact details, credentials, drafts, unused materials, messages, ships.
    Kept, linked only to the emptied account: submitted applications with their timelines and
    notices, certificates, corrections, evaluations, consents (as evidence) and audit events."""
    uid = user.id
    for eraser in registered().erasers:
        await eraser(session, storage, uid)
    for model, column in (
        (IdempotencyRecord, IdempotencyRecord.user_id),
        (PersonalProfile, PersonalProfile.user_id),
        (CorporateProfile, CorporateProfile.user_id),
    ):
        await session.execute(delete(model).where(column == uid))
    now = utcnow()
    await session.execute(
        update(Consent).where(Consent.user_id == uid, Consent.withdrawn_at.is_(None)).values(withdrawn_at=now)
    )
    user.display_name = DELETED_NAME
    user.username = user.password_hash = user.password_changed_at = None
    user.phone_encrypted = user.phone_index = user.wechat_openid = None
    user.clear_lockout()
    user.deleted_at = now
    await session.flush()
