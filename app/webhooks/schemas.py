from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from app.core.schemas import AppModel, LocalDateTime, RequestModel
from app.webhooks.events import EVENT_TYPES, WILDCARDS, EventSelector

DeliveryStatus = Literal["pending", "delivered", "failed"]
# No control characters or spaces (ASCII: `\s` reads differently in Python and ECMA-262).
URL_PATTERN = r"^https?://[^\x00-\x20\x7f/?#]+[^\x00-\x20\x7f]*$"


class SubscriptionCreate(RequestModel):
    url: Annotated[str, StringConstraints(max_length=2000, pattern=URL_PATTERN)] = Field(
        description="接收事件的地址，须为 https（开发环境可由设置放行 http）；不得指向回环、内网或链路本地地址",
        examples=["https://registry.example.gov.cn/hooks/msa"],
    )
    event_types: list[EventSelector] = Field(
        min_length=1,
        max_length=len(EVENT_TYPES) + len(WILDCARDS),
        description="订阅的事件类型：" + "、".join(EVENT_TYPES) + "；或通配 " + "、".join(WILDCARDS),
        examples=[["application.*", "certificate.status_changed"]],
    )


class SubscriptionRead(AppModel):
    id: str
    url: str
    event_types: list[str]
    created_at: LocalDateTime


class SubscriptionCreated(SubscriptionRead):
    secret: str = Field(
        description="签名密钥（whsec_…），仅在创建时返回一次；用 Standard Webhooks 库校验 webhook-signature"
    )


class AttemptRead(AppModel):
    at: LocalDateTime
    status_code: int | None = Field(description="对方应答的 HTTP 状态码；未收到应答时为 null")
    duration_ms: int
    error: str | None = Field(description="未收到应答的原因（超时、连接失败、目标地址被拒绝…）")
    response_excerpt: str | None = Field(description="应答正文的开头部分")


class DeliverySummary(AppModel):
    id: str = Field(description="即 webhook-id 请求头：重试与重放时不变，接收方据此去重")
    subscription_id: str
    event_id: str
    event_type: str
    status: DeliveryStatus = Field(description="pending 待发送（含等待重试）、delivered 已送达、failed 已放弃")
    attempt_count: int = Field(description="本轮（创建或重放后）已尝试次数")
    next_attempt_at: LocalDateTime | None
    delivered_at: LocalDateTime | None
    last_status_code: int | None
    created_at: LocalDateTime


class DeliveryRead(DeliverySummary):
    payload: dict[str, Any] = Field(description="发送的正文 {type, timestamp, data}，重试与重放时不变")
    attempts: list[AttemptRead]
