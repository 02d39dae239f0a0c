"""Signed event webhooks (系统对接): a machine client's subscriptions and its delivery log."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.auth.deps import EventsSubscriber
from app.core.auth import CLIENT_ERRORS
from app.core.db import SessionDep
from app.core.deps import PiiDep, SettingsDep
from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import ID_PATTERN, Page
from app.webhooks import service
from app.webhooks.deps import OwnDelivery, OwnSubscription
from app.webhooks.events import EventType
from app.webhooks.schemas import (
    AttemptRead,
    DeliveryRead,
    DeliveryStatus,
    DeliverySummary,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionRead,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.post(
    "/subscriptions",
    summary="订阅事件（密钥仅返回一次）",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionCreated,
    responses=error_responses(*CLIENT_ERRORS, service.TooManySubscriptions),
)
async def create_webhook_subscription(
    body: SubscriptionCreate,
    client: EventsSubscriber,
    session: SessionDep,
    settings: SettingsDep,
    pii: PiiDep,
) -> SubscriptionCreated:
    subscription, secret = await service.create_subscription(session, settings, pii, client.user_id, body)
    return SubscriptionCreated(**SubscriptionRead.model_validate(subscription).model_dump(), secret=secret)


@router.get(
    "/subscriptions",
    summary="本系统的事件订阅",
    response_model=list[SubscriptionRead],
    responses=error_responses(*CLIENT_ERRORS, validation=False),
)
async def list_webhook_subscriptions(client: EventsSubscriber, session: SessionDep) -> list[SubscriptionRead]:
    rows = await service.list_subscriptions(session, client.user_id)
    return [SubscriptionRead.model_validate(row) for row in rows]


@router.delete(
    "/subscriptions/{subscription_id}",
    summary="取消订阅（其投递记录一并删除）",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*CLIENT_ERRORS, service.SubscriptionNotFound),
)
async def delete_webhook_subscription(subscription: OwnSubscription, session: SessionDep) -> Response:
    await service.delete_subscription(session, subscription)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/deliveries",
    summary="投递记录（新的在前）",
    response_model=Page[DeliverySummary],
    responses=error_responses(*CLIENT_ERRORS, InvalidCursor),
)
async def list_webhook_deliveries(
    client: EventsSubscriber,
    session: SessionDep,
    delivery_status: Annotated[
        DeliveryStatus | None, Query(alias="status", description="按投递状态筛选")
    ] = None,
    event_type: Annotated[
        EventType | None,
        Query(
            description="按事件类型筛选",
            examples=["application.accepted"],
        ),
    ] = None,
    subscription_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="按订阅筛选")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[DeliverySummary]:
    rows, next_cursor = await service.list_deliveries(
        session,
        client.user_id,
        status=delivery_status,
        event_type=event_type,
        subscription_id=subscription_id,
        cursor=cursor,
        limit=limit,
    )
    return Page(items=[DeliverySummary.model_validate(row) for row in rows], next_cursor=next_cursor)


@router.get(
    "/deliveries/{delivery_id}",
    summary="投递详情（含每次尝试）",
    response_model=DeliveryRead,
    responses=error_responses(*CLIENT_ERRORS, service.DeliveryNotFound),
)
async def get_webhook_delivery(delivery: OwnDelivery, session: SessionDep) -> DeliveryRead:
    attempts = await service.attempts_of(session, delivery)
    return DeliveryRead(
        **DeliverySummary.model_validate(delivery).model_dump(),
        payload=delivery.payload,
        attempts=[AttemptRead.model_validate(attempt) for attempt in attempts],
    )


@router.post(
    "/deliveries/{delivery_id}/replay",
    summary="重放投递（同一 webhook-id 与正文，新的时间戳与签名）",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliverySummary,
    responses=error_responses(*CLIENT_ERRORS, service.DeliveryNotFound),
)
async def replay_webhook_delivery(delivery: OwnDelivery, session: SessionDep) -> DeliverySummary:
    return DeliverySummary.model_validate(await service.replay(session, delivery))
