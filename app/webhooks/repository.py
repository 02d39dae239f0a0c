"""The webhook tables' queries."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import asc, delete, desc, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.agencies.models import Agency
from app.auth.models import MachineClient
from app.core.pagination import keyset
from app.outbox.models import OutboxEvent
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

NEWEST_FIRST = [(WebhookDelivery.id, desc)]


async def subscriptions_of(session: AsyncSession, client_id: str) -> Sequence[WebhookSubscription]:
    statement = (
        select(WebhookSubscription)
        .where(WebhookSubscription.client_id == client_id)
        .order_by(WebhookSubscription.id)
    )
    return (await session.scalars(statement)).all()


async def subscription(
    session: AsyncSession, client_id: str, subscription_id: str
) -> WebhookSubscription | None:
    statement = select(WebhookSubscription).where(
        WebhookSubscription.id == subscription_id, WebhookSubscription.client_id == client_id
    )
    return await session.scalar(statement)


async def remove_subscription(session: AsyncSession, subscription: WebhookSubscription) -> None:
    # Its deliveries and their attempts go with it (ON DELETE CASCADE).
    await session.execute(delete(WebhookSubscription).where(WebhookSubscription.id == subscription.id))


async def deliveries(
    session: AsyncSession,
    client_id: str,
    *,
    status: str | None,
    event_type: str | None,
    subscription_id: str | None,
    cursor: str | None,
    limit: int,
) -> list[WebhookDelivery]:
    statement = select(WebhookDelivery).where(WebhookDelivery.client_id == client_id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    if event_type is not None:
        statement = statement.where(WebhookDelivery.event_type == event_type)
    if subscription_id is not None:
        statement = statement.where(WebhookDelivery.subscription_id == subscription_id)
    return list(await session.scalars(keyset(statement, NEWEST_FIRST, cursor, limit)))


async def delivery(session: AsyncSession, client_id: str, delivery_id: str) -> WebhookDelivery | None:
    statement = select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.client_id == client_id
    )
    return await session.scalar(statement)


async def attempts(session: AsyncSession, delivery_id: str) -> Sequence[WebhookAttempt]:
    statement = (
        select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.at)
    )
    return (await session.scalars(statement)).all()


# The dispatcher's queries.


async def pending_events(session: AsyncSession, limit: int) -> Sequence[OutboxEvent]:
    """The oldest events not yet fanned out, locked against another dispatcher (PostgreSQL;
    SQLite's IMMEDIATE transaction already holds the database's one write lock)."""
    statement = (
        select(OutboxEvent)
        .where(OutboxEvent.fanned_out_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(statement)).all()


async def live_subscriptions(session: AsyncSession) -> Sequence[tuple[WebhookSubscription, str | None]]:
    """Every subscription of a client neither revoked nor disabled, with the client's agency."""
    statement = (
        select(WebhookSubscription, User.agency_code)
        .join(User, User.id == WebhookSubscription.client_id)
        .join(MachineClient, MachineClient.user_id == User.id)
        .where(MachineClient.revoked_at.is_(None), User.disabled_at.is_(None))
        .order_by(WebhookSubscription.id)
    )
    return [(row[0], row[1]) for row in await session.execute(statement)]


async def agency_parents(session: AsyncSession) -> dict[str, str | None]:
    return {code: parent for code, parent in await session.execute(select(Agency.code, Agency.parent_code))}


async def due_deliveries(session: AsyncSession, now: datetime, limit: int) -> Sequence[WebhookDelivery]:
    """Pending deliveries whose time has come and that nobody holds a lease on, locked for the
    claim (``SKIP LOCKED``: two dispatchers never claim the same one)."""
    statement = (
        select(WebhookDelivery)
        .where(
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until <= now),
        )
        .order_by(asc(WebhookDelivery.next_attempt_at), WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(statement)).all()


async def claimed(session: AsyncSession, delivery_id: str, lease: str) -> WebhookDelivery | None:
    """The delivery if ``lease`` still holds it (an expired lease may have passed to another)."""
    statement = (
        select(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.lease == lease)
        .with_for_update()
    )
    return await session.scalar(statement)


async def subscriptions_by_id(session: AsyncSession, ids: set[str]) -> dict[str, WebhookSubscription]:
    if not ids:
        return {}
    rows = await session.scalars(select(WebhookSubscription).where(WebhookSubscription.id.in_(ids)))
    return {row.id: row for row in rows}


async def mark_fanned_out(session: AsyncSession, event_ids: list[str], at: datetime) -> None:
    await session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(event_ids)).values(fanned_out_at=at))
