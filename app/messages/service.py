"""我的消息: posted by other domains inside their transaction, read by the recipient."""

from sqlalchemy import desc, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import upsert_statement, utcnow
from app.core.errors import InvalidInput, NotFound
from app.core.pagination import keyset, page_of
from app.messages.models import Message, SubscriptionGrant
from app.messages.schemas import MessageRead, Subscription, SubscriptionAccepted


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
    newest_first = [(Message.created_at, desc), (Message.id, desc)]
    rows = list(await session.scalars(keyset(statement, newest_first, cursor, limit)))
    rows, next_cursor = page_of(rows, limit, newest_first)
    return [_read(message) for message in rows], next_cursor


async def unread_count(session: AsyncSession, recipient_id: str) -> int:
    statement = select(func.count()).where(Message.recipient_id == recipient_id, Message.read_at.is_(None))
    return await session.scalar(statement)


async def owned_message(session: AsyncSession, recipient_id: str, message_id: str) -> Message:
    """A message to the caller; anyone else's does not exist."""
    message = await session.get(Message, message_id)
    if message is None or message.recipient_id != recipient_id:
        raise MessageNotFound()
    return message


def mark_read(message: Message) -> MessageRead:
    if message.read_at is None:
        message.read_at = utcnow()
    return _read(message)


async def mark_all_read(session: AsyncSession, recipient_id: str) -> None:
    await session.execute(
        update(Message)
        .where(Message.recipient_id == recipient_id, Message.read_at.is_(None))
        .values(read_at=utcnow())
    )


# 订阅消息: WeChat delivers one message per subscription the user accepted, so the server
# counts what it may still send per user and template. ``template`` is the configured
# template (empty when the service sends none).


async def subscription(session: AsyncSession, user_id: str, template: str) -> Subscription:
    if not template:
        return Subscription(template_id=None, remaining=0)
    remaining = await session.scalar(
        select(SubscriptionGrant.remaining).where(
            SubscriptionGrant.user_id == user_id, SubscriptionGrant.template_id == template
        )
    )
    return Subscription(template_id=template, remaining=remaining or 0)


async def accept_subscriptions(
    session: AsyncSession, user_id: str, template: str, body: SubscriptionAccepted
) -> Subscription:
    """Records ``body.accepted`` more sends (nothing when the service sends no subscribe messages)."""
    if template and body.template_id != template:
        raise InvalidInput([(("body", "template_id"), "不是本服务的订阅消息模板", "unknown_template")])
    if template:
        insert = upsert_statement(session, SubscriptionGrant).values(
            user_id=user_id, template_id=template, remaining=body.accepted, updated_at=utcnow()
        )
        await session.execute(
            insert.on_conflict_do_update(
                index_elements=["user_id", "template_id"],
                set_={
                    "remaining": SubscriptionGrant.remaining + insert.excluded.remaining,
                    "updated_at": insert.excluded.updated_at,
                },
            )
        )
    return await subscription(session, user_id, template)


async def spend_subscription(session: AsyncSession, user_id: str, template: str) -> bool:
    """Takes one accepted subscription for a message about to be sent; False when none is left."""
    spent = await session.execute(
        update(SubscriptionGrant)
        .where(
            SubscriptionGrant.user_id == user_id,
            SubscriptionGrant.template_id == template,
            SubscriptionGrant.remaining > 0,
        )
        .values(remaining=SubscriptionGrant.remaining - 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return spent.rowcount == 1
