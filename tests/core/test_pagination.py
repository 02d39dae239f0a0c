"""Keyset paging (app/core/pagination.py): every list pages by one helper, on any columns in
either direction, and a cursor of the wrong shape is refused before anything runs."""

import base64
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, asc, desc, insert, select

from app.core.db import UTCDateTime
from app.core.pagination import InvalidCursor, cursor_after, keyset, keyset_template, keyset_values, page_of

metadata = MetaData()
# A table of its own, created inside the test's transaction (rolled back with it).
shelf = Table(
    "test_keyset_shelf",
    metadata,
    Column("id", String(8), primary_key=True),
    Column("day", Date, nullable=False),
    Column("moment", UTCDateTime, nullable=False),
    Column("rank", Integer, nullable=False),
)
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
# Ties on every leading column: several rows share a day, a moment, a rank.
ROWS = [
    {
        "id": f"r{n:02d}",
        "day": date(2026, 11, 1 + n % 3),
        "moment": T0 + timedelta(minutes=n % 4),
        "rank": n % 2,
    }
    for n in range(23)
]
ORDERS = {
    "newest first (moment, id)": [(shelf.c.moment, desc), (shelf.c.id, desc)],
    "oldest first (moment, id)": [(shelf.c.moment, asc), (shelf.c.id, asc)],
    "by id alone": [(shelf.c.id, asc)],
    "day down, rank up, id down": [(shelf.c.day, desc), (shelf.c.rank, asc), (shelf.c.id, desc)],
    "rank up, moment down, id up": [(shelf.c.rank, asc), (shelf.c.moment, desc), (shelf.c.id, asc)],
}


def _sorted(order) -> list[str]:
    rows = list(ROWS)
    for column, direction in reversed(order):
        rows.sort(key=lambda row, key=column.key: row[key], reverse=direction is desc)
    return [row["id"] for row in rows]


def _cursor(key: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


@pytest.fixture
async def stocked(session):
    connection = await session.connection()
    await connection.run_sync(metadata.create_all)
    await session.execute(insert(shelf), ROWS)
    return session


async def _by_values(session, order, cursor, limit):
    return await session.execute(keyset(select(shelf), order, cursor, limit))


async def _built_once(session, order, cursor, limit):
    """The same page from a statement built once per shape, bound per request."""
    template = keyset_template(select(shelf), order, after=cursor is not None)
    return await session.execute(template, keyset_values(order, cursor, limit))


async def _walk(session, order, limit: int, fetch=_by_values) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        rows = list(await fetch(session, order, cursor, limit))
        page, cursor = page_of(rows, limit, order)
        pages.append([row.id for row in page])
        if cursor is None:
            return pages


@pytest.mark.parametrize("fetch", [_by_values, _built_once], ids=["by values", "built once"])
@pytest.mark.parametrize("name", ORDERS)
@pytest.mark.parametrize("limit", [1, 4, 23, 50])
async def test_pages_walk_every_row_once_in_the_order_asked_for(stocked, name, limit, fetch):
    order = ORDERS[name]
    pages = await _walk(stocked, order, limit, fetch)
    assert [row for page in pages for row in page] == _sorted(order)
    assert all(len(page) == limit for page in pages[:-1])
    assert 0 < len(pages[-1]) <= limit


async def test_the_cursor_carries_the_last_rows_values_typed_by_their_columns(stocked):
    order = [(shelf.c.day, desc), (shelf.c.moment, desc), (shelf.c.rank, asc), (shelf.c.id, desc)]
    row = (await stocked.execute(select(shelf).where(shelf.c.id == "r05"))).one()
    token = cursor_after(row, order)
    assert json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) == [
        "2026-11-03",
        "2026-12-01T08:01:00+00:00",
        1,
        "r05",
    ]
    following = list(await stocked.scalars(keyset(select(shelf.c.id), order, token, 100)))
    assert following == _sorted(order)[_sorted(order).index("r05") + 1 :]


async def test_a_cursor_handed_out_before_the_helper_still_continues_the_list(stocked):
    """The lists' cursors were [created_at ISO text, id]: the same text is the same position."""
    order = ORDERS["newest first (moment, id)"]
    old = _cursor([(T0 + timedelta(minutes=2)).isoformat(), "r10"])
    rows = list(await stocked.scalars(keyset(select(shelf.c.id), order, old, 100)))
    assert rows == _sorted(order)[_sorted(order).index("r10") + 1 :]


MOMENT_AND_ID = [(shelf.c.moment, desc), (shelf.c.id, desc)]
DAY_RANK_ID = [(shelf.c.day, asc), (shelf.c.rank, asc), (shelf.c.id, asc)]


@pytest.mark.parametrize(
    ("order", "cursor"),
    [
        (MOMENT_AND_ID, "Z2FyYmFnZQ"),  # base64 of something that is not JSON
        (MOMENT_AND_ID, "!!!"),  # not base64 at all
        (MOMENT_AND_ID, _cursor({"moment": "2026-12-01T08:00:00+00:00"})),  # not a list
        (MOMENT_AND_ID, _cursor(["2026-12-01T08:00:00+00:00"])),  # too short
        (MOMENT_AND_ID, _cursor(["2026-12-01T08:00:00+00:00", "r01", "r02"])),  # too long
        (MOMENT_AND_ID, _cursor(["yesterday", "r01"])),  # not a time
        (MOMENT_AND_ID, _cursor(["2026-12-01T08:00:00", "r01"])),  # a time without its zone
        (MOMENT_AND_ID, _cursor([1764576000, "r01"])),  # a number for a time
        (MOMENT_AND_ID, _cursor(["2026-12-01T08:00:00+00:00", 7])),  # a number for an id
        (MOMENT_AND_ID, _cursor(["2026-12-01T08:00:00+00:00", None])),
        (MOMENT_AND_ID, _cursor(["2026-12-01T08:00:00+00:00", "r\u0000"])),  # NUL, refused by PostgreSQL
        (MOMENT_AND_ID, _cursor(["2026-12-01T08:00:00+00:00", "\ud800"])),  # a lone surrogate
        (DAY_RANK_ID, _cursor(["2026-13-01", 0, "r01"])),  # no such day
        (DAY_RANK_ID, _cursor(["2026-11-01", "0", "r01"])),  # text for a number
        (DAY_RANK_ID, _cursor(["2026-11-01", True, "r01"])),  # a boolean is not a number
        (DAY_RANK_ID, _cursor(["2026-11-01", 1.5, "r01"])),
        (DAY_RANK_ID, _cursor(["2026-11-01", 2**63, "r01"])),  # beyond a BIGINT
    ],
)
def test_a_cursor_of_the_wrong_shape_is_refused_before_any_statement(order, cursor):
    with pytest.raises(InvalidCursor):
        keyset(select(shelf), order, cursor, 10)


def test_an_order_without_directions_is_a_programming_error():
    with pytest.raises(ValueError):
        keyset(select(shelf), [(shelf.c.id, "desc")], None, 10)
    with pytest.raises(ValueError):
        keyset(select(shelf), [], None, 10)
