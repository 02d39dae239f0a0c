"""Messages' part of 导出我的数据 and 注销账号 (registered in ``app.api.wire_domains``)."""

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pii import PersonalDataCipher
from app.integrations.storage.base import ObjectStorage
from app.messages import service
from app.messages.models import Message, SubscriptionGrant
from app.messages.schemas import MessageRead
from app.privacy.registry import PAGE, every_page


async def export_messages(session: AsyncSession, pii: PersonalDataCipher, uid: str) -> list[MessageRead]:
    return await every_page(
        lambda c: service.list_messages(session, uid, cursor=c, limit=PAGE, unread_only=False)
    )


async def erase_messages(session: AsyncSession, storage: ObjectStorage, uid: str) -> None:
    await session.execute(delete(Message).where(Message.recipient_id == uid))
    await session.execute(delete(SubscriptionGrant).where(SubscriptionGrant.user_id == uid))
