"""我的消息: posted by other domains inside their transaction, read by the recipient."""

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.core.errors import NotFound
from app.core.pagination import newest_first, newest_first_key, split_page
from app.messages.models import Message
from app.messages.schemas import MessageRead


class MessageNotFound(NotFound):
    code = "message.not_found"
    title = "未找到该消息"


def post_message(
    session: AsyncSession,
    recipient_id: str,
    *,
    category: str,
    title: str,
    body: str,
    subject_type: str | None = None,
    subject_id: str | None = None,
) -> Message:
    message = Message(
        recipient_id=recipient_id,
        category=category,
        title=title,
        body=body,
        subject_type=subject_type,
        subject_id=subject_id,
        created_at=utcnow(),
    )
    session.add(message)
    return message


def _read(message: Message) -> MessageRead:
    return MessageRead(
        id=message.id,
        category=message.category,
        title=message.title,
        body=message.body,
        subject_type=message.subject_type,
        subject_id=message.subject_id,
        created_at=message.created_at,
        read=message.read_at is not None,
    )


async def list_messages(
    session: AsyncSession, recipient_id: str, *, cursor: str | None, limit: int, unread_only: bool
) -> tuple[list[MessageRead], str | None]:
    statement = select(Message).where(Message.recipient_id == recipient_id)
    if unread_only:
        statement = statement.where(Message.read_at.is_(None))
    statement = newest_first(statement, Message.created_at, Message.id, cursor, limit)
    rows, next_cursor = split_page(list(await session.scalars(statement)), limit, newest_first_key)
    return [_read(message) for message in rows], next_cursor


async def unread_count(session: AsyncSession, recipient_id: str) -> int:
    statement = select(func.count()).where(Message.recipient_id == recipient_id, Message.read_at.is_(None))
    return await session.scalar(statement)


async def mark_read(session: AsyncSession, recipient_id: str, message_id: str) -> MessageRead:
    message = await session.get(Message, message_id)
    if message is None or message.recipient_id != recipient_id:
        raise MessageNotFound()
    if message.read_at is None:
        message.read_at = utcnow()
    return _read(message)


async def mark_all_read(session: AsyncSession, recipient_id: str) -> None:
    await session.execute(
        update(Message)
        .where(Message.recipient_id == recipient_id, Message.read_at.is_(None))
        .values(read_at=utcnow())
    )
