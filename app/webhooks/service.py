"""Subscriptions and the delivery log of a machine client: each sees its own only."""

import base64
import secrets
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.pagination import page_of
from app.core.pii import PersonalDataCipher
from app.webhooks import repository, targets
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from app.webhooks.schemas import SubscriptionCreate

SECRET_PURPOSE = "webhook_subscriptions.secret"
SECRET_BYTES = 24
MAX_SUBSCRIPTIONS = 20


class SubscriptionNotFound(NotFound):
    code = "webhooks.subscription_not_found"
    title = "订阅不存在"


class DeliveryNotFound(NotFound):
    code = "webhooks.delivery_not_found"
    title = "投递记录不存在"


class TooManySubscriptions(AppError):
    status = 409
    code = "webhooks.too_many_subscriptions"
    title = f"每个对接系统最多 {MAX_SUBSCRIPTIONS} 个订阅"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_of(subscription: WebhookSubscription, pii: PersonalDataCipher) -> str:
    return pii.decrypt(subscription.secret_encrypted, purpose=SECRET_PURPOSE)


async def create_subscription(
    session: AsyncSession,
    settings: Settings,
    pii: PersonalDataCipher,
    client_id: str,
    body: SubscriptionCreate,
) -> tuple[WebhookSubscription, str]:
    """The new subscription and its secret, in plain text this once."""
    refusal = targets.url_refusal(body.url, settings)
    if refusal:
        raise InvalidInput([(("body", "url"), refusal, "webhook_url")])
    if len(await repository.subscriptions_of(session, client_id)) >= MAX_SUBSCRIPTIONS:
        raise TooManySubscriptions()
    secret = new_secret()
    subscription = WebhookSubscription(
        client_id=client_id,
        url=body.url,
        event_types=[selector.value for selector in dict.fromkeys(body.event_types)],
        secret_encrypted=pii.encrypt(secret, purpose=SECRET_PURPOSE),
        created_at=utcnow(),
    )
    session.add(subscription)
    await session.flush()
    return subscription, secret


async def list_subscriptions(session: AsyncSession, client_id: str):
    return await repository.subscriptions_of(session, client_id)


async def own_subscription(session: AsyncSession, client_id: str, subscription_id: str) -> WebhookSubscription:
    subscription = await repository.subscription(session, client_id, subscription_id)
    if subscription is None:
        raise SubscriptionNotFound()
    return subscription


async def delete_subscription(session: AsyncSession, subscription: WebhookSubscription) -> None:
    await repository.remove_subscription(session, subscription)


async def list_deliveries(
    session: AsyncSession,
    client_id: str,
    *,
    status: str | None,
    event_type: str | None,
    subscription_id: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[WebhookDelivery], str | None]:
    rows = await repository.deliveries(
        session,
        client_id,
        status=status,
        event_type=event_type,
        subscription_id=subscription_id,
        cursor=cursor,
        limit=limit,
    )
    return page_of(rows, limit, repository.NEWEST_FIRST)


async def own_delivery(session: AsyncSession, client_id: str, delivery_id: str) -> WebhookDelivery:
    delivery = await repository.delivery(session, client_id, delivery_id)
    if delivery is None:
        raise DeliveryNotFound()
    return delivery


async def attempts_of(session: AsyncSession, delivery: WebhookDelivery) -> list[WebhookAttempt]:
    return list(await repository.attempts(session, delivery.id))


async def replay(session: AsyncSession, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the delivery again as soon as a dispatcher is free: the same ``webhook-id`` and body,
    a new timestamp and signature, a fresh retry schedule. A lease held by an attempt in flight
    is dropped: that attempt is still logged when it ends, but it no longer decides the status."""
    now = utcnow()
    delivery.status = "pending"
    delivery.attempt_count = 0
    delivery.next_attempt_at = now
    delivery.delivered_at = None
    delivery.locked_until = None
    delivery.lease = None
    await session.flush()
    return delivery
