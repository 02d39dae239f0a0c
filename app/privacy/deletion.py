"""注销账号: erase the person, keep what the law requires, de-identified from them."""

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import CorporateProfile, PersonalProfile, User
from app.applications.models import Application
from app.applications.state_machine import Status
from app.audit import service as audit
from app.auth import tokens
from app.auth.face import FacePurpose
from app.auth.service import AuthContext, face_of_account_holder
from app.core.auth import Role
from app.core.db import utcnow
from app.core.errors import AppError
from app.core.idempotency import IdempotencyRecord
from app.integrations.face.base import FaceVerifier
from app.integrations.storage.base import ObjectStorage
from app.materials import service as materials
from app.messages.models import Message, SubscriptionGrant
from app.privacy.models import Consent
from app.privacy.schemas import DeletionRequest
from app.ships.models import Ship

DELETED_NAME = "已注销用户"
# The authority is still deciding: the applicant must stay reachable until it has.
IN_PROGRESS = (Status.submitted, Status.accepted)


class DeletionNotSelfService(AppError):
    status = 403
    code = "account.deletion_not_allowed"
    title = "工作人员和管理员账号请联系系统管理员注销"


def account_holder(user: User) -> User:
    """Only citizens and companies close their own accounts; the others are an operator's."""
    if user.role not in (Role.personal, Role.corporate):
        raise DeletionNotSelfService()
    return user


class ApplicationsInProgress(AppError):
    status = 409
    code = "account.applications_in_progress"
    title = "您有正在办理的办件，暂不能注销账号"


async def delete_account(
    context: AuthContext, verifier: FaceVerifier, storage: ObjectStorage, user: User, proof: DeletionRequest
) -> None:
    session = context.session
    pending = await session.scalar(
        select(func.count())
        .select_from(Application)
        .where(Application.applicant_id == user.id, Application.status.in_(IN_PROGRESS))
    )
    if pending:
        raise ApplicationsInProgress(
            f"您有 {pending} 件办件正在受理或审批中，请待办结或撤回（取消）后再注销账号"
        )
    await face_of_account_holder(context, verifier, user, proof, FacePurpose.account_deletion)
    await _erase(session, storage, user)
    await tokens.revoke_all_sessions(session, user.id, "account_deleted")
    audit.record(
        session,
        "account.deletion",
        "success",
        actor_id=user.id,
        ip=context.ip,
        object_type="user",
        object_id=user.id,
        detail={"role": user.role},
    )


async def _erase(session: AsyncSession, storage: ObjectStorage, user: User) -> None:
    """Gone: the identity, contact details, credentials, drafts, unused materials, messages, ships.
    Kept, linked only to the emptied account: submitted applications with their timelines and
    notices, certificates, corrections, evaluations, consents (as evidence) and audit events."""
    uid = user.id
    # Never submitted, so no record of the authority: the draft goes with its materials.
    await session.execute(
        delete(Application).where(
            Application.applicant_id == uid, Application.status == Status.draft, Application.number.is_(None)
        )
    )
    await materials.remove_all(session, storage, uid)
    for model, column in (
        (Message, Message.recipient_id),
        (SubscriptionGrant, SubscriptionGrant.user_id),
        (Ship, Ship.owner_id),
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
