"""A machine client's own webhook objects, already loaded and checked: ``subscription:
OwnSubscription``, ``delivery: OwnDelivery``. Another client's are indistinguishable from
missing ones (404)."""

from typing import Annotated

from fastapi import Depends, Path

from app.auth.deps import EventsSubscriber
from app.core.db import SessionDep
from app.core.schemas import ID_PATTERN
from app.webhooks import service
from app.webhooks.models import WebhookDelivery, WebhookSubscription

SubscriptionId = Annotated[str, Path(pattern=ID_PATTERN)]
DeliveryId = Annotated[str, Path(pattern=ID_PATTERN)]


async def _own_subscription(
    client: EventsSubscriber, session: SessionDep, subscription_id: SubscriptionId
) -> WebhookSubscription:
    return await service.own_subscription(session, client.user_id, subscription_id)


async def _own_delivery(client: EventsSubscriber, session: SessionDep, delivery_id: DeliveryId) -> WebhookDelivery:
    return await service.own_delivery(session, client.user_id, delivery_id)


OwnSubscription = Annotated[WebhookSubscription, Depends(_own_subscription)]
OwnDelivery = Annotated[WebhookDelivery, Depends(_own_delivery)]
