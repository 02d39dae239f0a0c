"""The reads every request makes, sent straight to asyncpg: a Core statement compiled once, its
rows holding what SQLAlchemy would give.

For a small read, SQLAlchemy's execution layer costs about twice the driver's own work (an
execution context, a cursor adapter, a result and two greenlet switches: ~120–165 µs of CPU a
statement through a connection against ~60–75 µs on the driver; bench/README.md, fifth session
of #18). ``app.core.db.read_rows`` sends the hot reads (the caller's session, a page of 我的办件
or of a queue, an application's detail …) this way on PostgreSQL. What SQLAlchemy does for them
is done here once per statement (compiling, the order of the values, the columns' names) or per
value (the types' own bind and result processing). SQLite keeps SQLAlchemy's path: its request
transactions are steered by engine events (``app.core.db``), which a driver call would bypass.

asyncpg begins a transaction only when the first statement runs through SQLAlchemy's adapter
(lazily). A read sent here before that runs on its own, and sees what a statement of the
request's transaction would see at PostgreSQL's READ COMMITTED: the rows committed when it starts;
after a write it runs inside the request's transaction and sees the write. A request that only
reads this way sends no BEGIN or COMMIT at all.
"""

from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    Select,
    String,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeEngine

DRIVER = "asyncpg"
_REQUIRED = object()  # a bound value the caller must give


class ReadRow(tuple):
    """A row of ``read_rows``: its columns by name, as attributes, or by position. A named tuple:
    SQLAlchemy's ``Row`` resolves each attribute in Python, about ten times slower, and a page of
    我的办件 reads some twenty of them per entry."""

    __slots__ = ()


@lru_cache(maxsize=1024)
def row_maker(statement: Select) -> Callable[[Iterable[Any]], ReadRow]:
    """Makes ``statement``'s rows (a ``ReadRow`` named by its columns) from their values."""
    named = namedtuple("ReadRow", statement.selected_columns.keys())
    return type("ReadRow", (named, ReadRow), {"__slots__": ()})._make


@dataclass(frozen=True, slots=True)
class DriverRead:
    """``statement`` compiled for the driver: its SQL, where each positional value comes from and
    how its type binds it, how each column's value is read, and how a row is made."""

    statement: Select
    sql: str
    binds: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]  # key, fixed value, processor
    processors: tuple[Callable[[Any], Any] | None, ...] | None  # None: no column needs one
    make_row: Callable[[Iterable[Any]], ReadRow]

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        arguments = []
        for key, fixed, process in self.binds:
            value = values.get(key, fixed)
            if value is _REQUIRED:
                raise InvalidRequestError(f"A value is required for bind parameter {key!r}")
            arguments.append(value if process is None else process(value))
        return arguments

    async def rows(self, connection: AsyncConnection, values: Mapping[str, Any]) -> Sequence[ReadRow]:
        arguments = self.arguments(values)
        driver = (await connection.get_raw_connection()).driver_connection
        try:
            records = await driver.fetch(self.sql, *arguments)
        except Exception:
            # Reported as SQLAlchemy reports any failed statement (a lost connection invalidated
            # and answered 503, app.core.errors): the read runs once more its usual way, which
            # meets the same failure; the driver's error stays attached as its context.
            return await sqlalchemy_rows(connection, self.statement, values)
        make_row, processors = self.make_row, self.processors
        if processors is None:
            return [make_row(record) for record in records]
        return [
            make_row(
                [
                    value if process is None else process(value)
                    for process, value in zip(processors, record, strict=True)
                ]
            )
            for record in records
        ]


async def sqlalchemy_rows(
    connection: AsyncConnection, statement: Select, values: Mapping[str, Any]
) -> Sequence[ReadRow]:
    """``statement``'s rows the usual way, through SQLAlchemy's execution layer."""
    make_row = row_maker(statement)
    return [make_row(row) for row in await connection.execute(statement, values)]


def driver_read(statement: Select, dialect: Dialect) -> DriverRead | None:
    """How ``statement`` runs on the driver, or None: not on asyncpg, a select that locks rows
    (outside a transaction its locks would end with it), or its SQL depends on the values
    (expanding ``IN`` lists are rendered per call)."""
    if dialect.driver != DRIVER or statement._for_update_arg is not None:
        return None
    return _compiled(statement, dialect)


# Column types whose values SQLAlchemy reads without asking what the database says the column
# is (the type code of a cursor's description, which a plain ``fetch`` does not give): NUMERIC,
# for one, becomes Decimal or float by it.
_READ_AS_GIVEN = (String, Integer, Boolean, Date, DateTime, JSON, LargeBinary)


def _stored_as(type_: TypeEngine) -> TypeEngine:
    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


@lru_cache(maxsize=1024)
def _compiled(statement: Select, dialect: Dialect) -> DriverRead | None:
    # Keyed by the statement object: hot reads are built once (module constants, or cached per
    # shape in their repositories), so each is compiled once per process.
    compiled = statement.compile(dialect=dialect)
    sql, names = compiled.string, compiled.positiontup or []
    if any(bind.expanding for bind in compiled.binds.values()):
        return None
    if any(bind.literal_execute for bind in compiled.binds.values()):
        # Values written into the SQL (``status != 'draft'``, so that a partial index applies):
        # fixed when the statement was built, so they are written in once.
        if any(bind.literal_execute and bind.required for bind in compiled.binds.values()):
            return None
        placeholders = {bind.key: None for bind in compiled.binds.values() if bind.required}
        expanded = compiled.construct_expanded_state(placeholders, escape_names=False)
        sql, names = expanded.statement, expanded.positiontup or []
    binds = [compiled.binds[name] for name in names]
    columns = list(statement.selected_columns)
    if not all(isinstance(_stored_as(column.type), _READ_AS_GIVEN) for column in columns):
        return None
    processors = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
    )
    return DriverRead(
        statement=statement,
        sql=sql,
        binds=tuple(
            (
                bind.key,
                _REQUIRED if bind.required else bind.effective_value,
                bind.type.dialect_impl(dialect).bind_processor(dialect),
            )
            for bind in binds
        ),
        processors=processors if any(processors) else None,
        make_row=row_maker(statement),
    )
