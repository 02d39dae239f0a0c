from pydantic import Field

from app.core.schemas import AppModel, LocalDateTime


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
