from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.schemas import AppModel, LocalDateTime, RequestModel


class MessageRead(AppModel):
    id: str
    category: str = Field(examples=["application"])
    title: str = Field(examples=["办件已受理"])
    body: str
    subject_type: str | None = Field(description="关联对象类型，如 `application`", examples=["application"])
    subject_id: str | None = Field(description="关联对象标识，如办件 id")
    created_at: LocalDateTime
    read: bool


class UnreadCount(AppModel):
    unread: int


class Subscription(AppModel):
    """订阅消息: the template the server sends status changes with, and how many it may still send."""

    template_id: str | None = Field(description="办件状态变更订阅消息的模板 ID；服务未开通订阅消息时为 null")
    remaining: int = Field(ge=0, description="用户已同意、尚未发送的一次性订阅消息条数")


class SubscriptionAccepted(RequestModel):
    """The result of ``wx.requestSubscribeMessage``: the user accepted (accept) the template."""

    template_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")] = Field(
        examples=["Q6mAcaG4Xzq0oUHIXovbRJXdrbShi1xHbGIQ5yeE2Uo"]
    )
    accepted: int = Field(ge=1, le=10, description="本次同意的一次性订阅次数")
