"""Base schema and the list envelope every collection endpoint returns."""

import re
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_validator

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


# C0 controls but tab and line breaks, and DEL: no text a person types has them, and
# PostgreSQL cannot store NUL at all.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_control_characters(value: Any) -> bool:
    if isinstance(value, str):
        return _CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(_has_control_characters(item) for pair in value.items() for item in pair)
    if isinstance(value, list | tuple):
        return any(_has_control_characters(item) for item in value)
    return False


class RequestModel(AppModel):
    """A request body: unknown fields are refused (no mass assignment of status, role …),
    and so is text with control characters, in any field however deep (free-form forms too)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if _has_control_characters(value):
            raise ValueError("不能包含控制字符")
        return value


class Page(AppModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="传给下一次请求的 `cursor`；为 null 表示没有更多数据"
    )


class Coded(AppModel):
    """A code with its zh-CN label, as the clients show it."""

    code: str
    label: str
