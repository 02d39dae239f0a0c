"""Base schema and the list envelope every collection endpoint returns."""

from datetime import datetime, timedelta, timezone
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

T = TypeVar("T")

# Codes of agencies and service items as they appear in URLs and filters.
CODE_PATTERN = r"^[A-Za-z0-9_-]{1,16}$"
# Generated ids (UUIDv7) as they appear in URLs.
ID_PATTERN = r"^[0-9a-f-]{1,36}$"


# Stored in UTC, presented in China Standard Time (no daylight saving, so a fixed offset).
CHINA_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")


def china_time(moment: datetime) -> datetime:
    return moment.astimezone(CHINA_TIME)


LocalDateTime = Annotated[
    datetime,
    PlainSerializer(lambda moment: china_time(moment).isoformat(), return_type=str, when_used="json"),
]


class AppModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class RequestModel(AppModel):
    """A request body: unknown fields are refused (no mass assignment of status, role …)."""

    model_config = ConfigDict(extra="forbid")


class Page(AppModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="传给下一次请求的 `cursor`；为 null 表示没有更多数据"
    )


class Coded(AppModel):
    """A code with its zh-CN label, as the clients show it."""

    code: str
    label: str
