"""我的消息 (manual §3.3.6)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.auth.deps import CurrentPrincipal
from app.core.auth import SIGNED_IN_ERRORS
from app.core.db import SessionDep
from app.core.deps import SettingsDep
from app.core.errors import error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import Page
from app.messages import service
from app.messages.deps import OwnedMessage
from app.messages.schemas import MessageRead, Subscription, SubscriptionAccepted, UnreadCount

router = APIRouter(prefix="/me/messages", tags=["messages"])
notifications_router = APIRouter(prefix="/me/notifications", tags=["messages"])


@router.get(
    "",
    summary="我的消息（最新在前）",
    response_model=Page[MessageRead],
    responses=error_responses(*SIGNED_IN_ERRORS, InvalidCursor),
)
async def list_messages(
    principal: CurrentPrincipal,
    session: SessionDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    unread: Annotated[bool, Query(description="只看未读消息")] = False,
) -> Page[MessageRead]:
    items, next_cursor = await service.list_messages(
        session, principal.user_id, cursor=cursor, limit=limit, unread_only=unread
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/unread-count",
    summary="未读消息数（个人中心角标）",
    response_model=UnreadCount,
    responses=error_responses(*SIGNED_IN_ERRORS, validation=False),
)
async def count_unread_messages(principal: CurrentPrincipal, session: SessionDep) -> UnreadCount:
    return UnreadCount(unread=await service.unread_count(session, principal.user_id))


@router.post(
    "/read-all",
    summary="全部标为已读",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*SIGNED_IN_ERRORS, validation=False),
)
async def mark_all_messages_read(principal: CurrentPrincipal, session: SessionDep) -> Response:
    await service.mark_all_read(session, principal.user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{message_id}/read",
    summary="标为已读",
    response_model=MessageRead,
    responses=error_responses(*SIGNED_IN_ERRORS, service.MessageNotFound),
)
async def mark_message_read(message: OwnedMessage) -> MessageRead:
    return service.mark_read(message)


@notifications_router.get(
    "/subscription",
    summary="订阅消息：模板与剩余可发送条数",
    description="办件状态变更时，仅在 `remaining > 0` 时发送微信订阅消息（每发送一条消耗一次）；"
    "否则只发站内消息。`template_id` 为 null 表示服务未开通订阅消息。",
    response_model=Subscription,
    responses=error_responses(*SIGNED_IN_ERRORS, validation=False),
)
async def get_notification_subscription(
    principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep
) -> Subscription:
    return await service.subscription(session, principal.user_id, settings.wechat_status_template_id)


@notifications_router.post(
    "/subscription",
    summary="记录用户同意的一次性订阅消息",
    description="`wx.requestSubscribeMessage` 返回 accept 后调用；`accepted` 为本次同意的次数。"
    "服务未开通订阅消息时不作记录。",
    response_model=Subscription,
    responses=error_responses(*SIGNED_IN_ERRORS),
)
async def accept_notification_subscription(
    body: SubscriptionAccepted, principal: CurrentPrincipal, session: SessionDep, settings: SettingsDep
) -> Subscription:
    return await service.accept_subscriptions(
        session, principal.user_id, settings.wechat_status_template_id, body
    )
