"""Beijing calendar days and months of a stored UTC moment, as SQL: the one place where the two
databases differ in how a moment is cut into days.

``china_month`` gives text (``2026-01``), ``china_day`` a DATE (compared with ``due_on``,
grouped, read back as ``datetime.date``): SQLite shifts the stored UTC text with a modifier,
PostgreSQL shifts the UTC wall time by an interval. China has one fixed offset (+08:00, no
daylight saving, like ``app.core.schemas.CHINA_TIME``), so no time-zone database is needed.
"""

from sqlalchemy import Date, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class china_month(FunctionElement):  # noqa: N801 (an SQL function)
    """``YYYY-MM`` of a UTC timestamp column in Beijing time."""

    type = String()
    name = "china_month"
    inherit_cache = True


class china_day(FunctionElement):  # noqa: N801
    """The Beijing date of a UTC timestamp column."""

    type = Date()
    name = "china_day"
    inherit_cache = True


def _moment(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(china_month, "sqlite")
def _sqlite_month(element, compiler, **kw) -> str:
    # Stored as UTC text without an offset; the modifier moves it to Beijing time.
    return f"strftime('%Y-%m', {_moment(element, compiler, **kw)}, '+8 hours')"


@compiles(china_day, "sqlite")
def _sqlite_day(element, compiler, **kw) -> str:
    return f"date({_moment(element, compiler, **kw)}, '+8 hours')"


@compiles(china_month, "postgresql")
def _postgresql_month(element, compiler, **kw) -> str:
    return f"to_char(timezone('UTC', {_moment(element, compiler, **kw)}) + interval '8 hours', 'YYYY-MM')"


@compiles(china_day, "postgresql")
def _postgresql_day(element, compiler, **kw) -> str:
    return f"CAST(timezone('UTC', {_moment(element, compiler, **kw)}) + interval '8 hours' AS DATE)"
