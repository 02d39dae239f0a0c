"""Base schema and the list envelope every collection endpoint returns."""

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

# Codes of agencies and service items as they appear in URLs and filters.
CODE_PATTERN = r"^[A-Za-z0-9_-]{1,16}$"


class AppModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class Page(AppModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="传给下一次请求的 `cursor`；为 null 表示没有更多数据"
    )


class Coded(AppModel):
    """A code with its zh-CN label, as the clients show it."""

    code: str
    label: str
