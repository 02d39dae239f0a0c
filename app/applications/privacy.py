"""Applications' part of 导出我的数据 and 注销账号 (registered in ``app.api.wire_domains``)."""

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import presenter
from app.applications.models import Application
from app.applications.schemas import ApplicationRead
from app.applications.service import CONTACT_PHONE
from app.applications.state_machine import Actor, Status
from app.core.errors import AppError
from app.core.pii import PersonalDataCipher
from app.integrations.storage.base import ObjectStorage

# The authority is still deciding: the applicant must stay reachable until it has.
IN_PROGRESS = (Status.submitted, Status.accepted)


class ApplicationsInProgress(AppError):
    status = 409
    code = "account.applications_in_progress"
    title = "您有正在办理的办件，暂不能注销账号"


async def refuse_while_in_progress(session: AsyncSession, uid: str) -> None:
    pending = await session.scalar(
        select(func.count())
        .select_from(Application)
        .where(Application.applicant_id == uid, Application.status.in_(IN_PROGRESS))
    )
    if pending:
        raise ApplicationsInProgress(
            f"您有 {pending} 件办件正在受理或审批中，请待办结或撤回（取消）后再注销账号"
        )


async def export_applications(
    session: AsyncSession, pii: PersonalDataCipher, uid: str
) -> list[ApplicationRead]:
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


async def erase_drafts(session: AsyncSession, storage: ObjectStorage, uid: str) -> None:
    """Never submitted, so no record of the authority: the draft goes with its materials.
    Submitted applications stay, with their timelines and notices, linked to the emptied account."""
    await session.execute(
        delete(Application).where(
            Application.applicant_id == uid, Application.status == Status.draft, Application.number.is_(None)
        )
    )
