"""Keyset pagination: the cursor is an opaque token carrying the last row's sort key."""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Query
from sqlalchemy import Select

from app.core.errors import AppError

Limit = Annotated[int, Query(ge=1, le=100, description="每页条数（1–100）")]
Cursor = Annotated[
    str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+$", description="上一页返回的 `next_cursor`")
]
DEFAULT_LIMIT = 20
T = TypeVar("T")


class InvalidCursor(AppError):
    status = 422
    code = "pagination.invalid_cursor"
    title = "分页游标无效，请从第一页重新查询"


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *types: type) -> list[Any]:
    """The sort key inside ``cursor``, checked against the expected element types."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(key, list) or len(key) != len(types):
        raise InvalidCursor()
    if not all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(key, types, strict=True)):
        raise InvalidCursor()
    return key


def split_page(rows: list[T], limit: int, sort_key: Callable[[T], list[Any]]) -> tuple[list[T], str | None]:
    """Rows fetched with ``limit + 1`` → the page and the cursor of the next one, if any."""
    page = rows[:limit]
    return page, encode_cursor(sort_key(page[-1])) if len(rows) > limit else None


def newest_first(statement: Select, created_at: Any, row_id: Any, cursor: str | None, limit: int) -> Select:
    """Order newest first by (created_at, id) and continue after the row named by ``cursor``."""
    statement = statement.order_by(created_at.desc(), row_id.desc()).limit(limit + 1)
    if cursor is None:
        return statement
    last_created, last_id = decode_cursor(cursor, str, str)
    try:
        moment = datetime.fromisoformat(last_created)
    except ValueError as error:
        raise InvalidCursor() from error
    return statement.where((created_at < moment) | ((created_at == moment) & (row_id < last_id)))


def newest_first_key(row: Any) -> list[Any]:
    return [row.created_at.isoformat(), row.id]
