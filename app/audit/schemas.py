"""What the auditor sees of the trail: events, never personal data."""

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from app.core.schemas import AppModel, LocalDateTime


class AuditEventRead(AppModel):
    """One event. The client address stays in the database; ``detail`` holds no personal data."""

    id: str
    occurred_at: LocalDateTime = Field(description="发生时间")
    event: str = Field(description="事件，如 `auth.login_password`、`application.decision`")
    outcome: str = Field(description="结果，如 `success`、`failure`、`locked`、`refused`")
    actor_id: str | None = Field(description="操作人账号 ID；匿名操作为 null")
    object_type: str | None = Field(description="对象类型，如 `application`、`certificate`")
    object_id: str | None = Field(description="对象 ID")
    detail: dict[str, Any] | None = Field(description="补充信息（不含个人信息）")


@dataclass(frozen=True)
class EventFilter:
    event: str | None = None
    actor_id: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def described(self) -> dict[str, str]:
        """The filters that were set, as text: what the auditor looked for."""
        return {
            name: value.isoformat() if isinstance(value, datetime) else value
            for name, value in asdict(self).items()
            if value is not None
        }
