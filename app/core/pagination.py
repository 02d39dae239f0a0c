"""Keyset pagination: the cursor is an opaque token carrying the last row's sort key.

One helper for every list: ``keyset`` orders a statement by any columns, each ascending or
descending, and continues after the row a cursor names; ``page_of`` cuts the ``limit + 1`` rows
fetched into the page and the cursor of the next one (``cursor_after`` of its last row).

    NEWEST_FIRST = [(Material.created_at, desc), (Material.id, desc)]
    rows = await session.scalars(keyset(select(Material), NEWEST_FIRST, cursor, limit))
    page, next_cursor = page_of(list(rows), limit, NEWEST_FIRST)

The cursor is base64url JSON of the key's values, typed by its columns: a datetime or a date as
its ISO text, an integer as a number, a string as itself. A cursor of any other shape is
refused with ``InvalidCursor`` before a statement runs. The columns must not be nullable and the
last one must be unique (an id), so that the key names exactly one position.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Query
from sqlalchemy import Integer, Select, TypeDecorator, and_, asc, bindparam, desc, or_
from sqlalchemy.sql.elements import ColumnElement

from app.core.errors import AppError

Limit = Annotated[int, Query(ge=1, le=100, description="每页条数（1–100）")]
Cursor = Annotated[
    str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+$", description="上一页返回的 `next_cursor`")
]
DEFAULT_LIMIT = 20
T = TypeVar("T")

# The sort key: (column, sqlalchemy.asc or sqlalchemy.desc), most significant first.
Order = Sequence[tuple[Any, Callable[[Any], ColumnElement]]]

_BIGINT = 2**63
_LIMIT, _AFTER = "page_limit", "page_after_"


class InvalidCursor(AppError):
    status = 422
    code = "pagination.invalid_cursor"
    title = "分页游标无效，请从第一页重新查询"


def keyset(statement: Select, columns: Order, cursor: str | None, limit: int) -> Select:
    """``statement`` ordered by ``columns``, ``limit + 1`` rows from just after the row named
    by ``cursor`` (from the first row without one); the extra row tells ``page_of`` that
    another page follows."""
    return _paged(statement, columns, limit + 1, None if cursor is None else _decode(cursor, columns))


def keyset_template(statement: Select, columns: Order, *, after: bool) -> Select:
    """``keyset`` with the page size and (``after``) the cursor's key as bind parameters, for a
    statement built once and bound per request with ``keyset_values``: building a statement
    costs more than running it."""
    key = [bindparam(f"{_AFTER}{n}", type_=column.type) for n, (column, _) in enumerate(columns)]
    return _paged(statement, columns, bindparam(_LIMIT, type_=Integer), key if after else None)


def keyset_values(columns: Order, cursor: str | None, limit: int) -> dict[str, Any]:
    """The values of ``keyset_template``'s parameters: ``limit + 1`` rows after ``cursor``."""
    values: dict[str, Any] = {_LIMIT: limit + 1}
    if cursor is not None:
        values.update((f"{_AFTER}{n}", value) for n, value in enumerate(_decode(cursor, columns)))
    return values


def _paged(statement: Select, columns: Order, limit: Any, after: list[Any] | None) -> Select:
    _check(columns)
    statement = statement.order_by(*(direction(column) for column, direction in columns)).limit(limit)
    return statement if after is None else statement.where(_after(columns, after))


def page_of(rows: list[T], limit: int, columns: Order) -> tuple[list[T], str | None]:
    """Rows fetched by ``keyset`` → the page and the cursor of the next one, if any."""
    page = rows[:limit]
    return page, cursor_after(page[-1], columns) if len(rows) > limit else None


def cursor_after(row: Any, columns: Order) -> str:
    """The cursor continuing after ``row`` (an entity or a result row having the columns' keys)."""
    return _encode([_plain(getattr(row, column.key)) for column, _ in columns])


def _check(columns: Order) -> None:
    if not columns or any(direction not in (asc, desc) for _, direction in columns):
        raise ValueError("keyset paging needs (column, asc|desc) pairs")


def _after(columns: Order, values: list[Any]) -> ColumnElement[bool]:
    """Rows beyond the key: further on the first column, or equal on it and beyond on the next …"""
    alternatives = []
    for position, (column, direction) in enumerate(columns):
        ties = [earlier == value for (earlier, _), value in zip(columns[:position], values, strict=False)]
        value = values[position]
        beyond = column < value if direction is desc else column > value
        alternatives.append(and_(*ties, beyond))
    return or_(*alternatives)


def _encode(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _plain(value: Any) -> Any:
    # datetime is a date too: both travel as their ISO text.
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | str) and not isinstance(value, bool):
        return value
    raise TypeError(f"a {type(value).__name__} cannot be part of a cursor")


def _decode(cursor: str, columns: Order) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(key, list) or len(key) != len(columns):
        raise InvalidCursor()
    return [_typed(value, column) for value, (column, _) in zip(key, columns, strict=True)]


def _typed(value: Any, column: Any) -> Any:
    """The cursor's value as the column's Python type, or ``InvalidCursor``."""
    sql_type = column.type
    if isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl_instance
    kind = sql_type.python_type
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool) and -_BIGINT <= value < _BIGINT:
            return value
        raise InvalidCursor()
    if not isinstance(value, str) or not _storable(value):
        raise InvalidCursor()
    if kind is str:
        return value
    try:
        if kind is datetime:
            moment = datetime.fromisoformat(value)
        elif kind is date:
            return date.fromisoformat(value)
        else:
            raise TypeError(f"no cursor for a column of {kind.__name__}")
    except ValueError as error:
        raise InvalidCursor() from error
    if (moment.tzinfo is not None) != bool(getattr(sql_type, "timezone", False)):
        raise InvalidCursor()
    return moment


def _storable(value: str) -> bool:
    """No control character (PostgreSQL refuses NUL) and no lone surrogate (not UTF-8)."""
    if any(ord(c) < 32 or c == "\x7f" for c in value):
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True
