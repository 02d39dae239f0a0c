"""Beijing calendar days and months of a stored UTC moment, as SQL: the one place where the two
databases differ in how a moment is cut into days.

Both give text (``2026-01`` / ``2026-01-01``): SQLite's ``strftime`` with an offset, PostgreSQL's
``to_char`` of the UTC wall time moved by the offset. China has one fixed offset (+08:00, no
daylight saving, like ``app.core.schemas.CHINA_TIME``), so no time-zone database is needed.
"""

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

_SQLITE = {"month": "%Y-%m", "day": "%Y-%m-%d"}
_POSTGRESQL = {"month": "YYYY-MM", "day": "YYYY-MM-DD"}


class _ChinaCalendar(FunctionElement):
    type = String()
    inherit_cache = True
    unit: str


class china_month(_ChinaCalendar):  # noqa: N801 (SQL function style)
    """``YYYY-MM`` of a UTC timestamp column in Beijing time."""

    name = "china_month"
    unit = "month"
    inherit_cache = True


class china_day(_ChinaCalendar):  # noqa: N801
    """``YYYY-MM-DD`` of a UTC timestamp column in Beijing time."""

    name = "china_day"
    unit = "day"
    inherit_cache = True


@compiles(_ChinaCalendar, "sqlite")
def _sqlite(element: _ChinaCalendar, compiler, **kw) -> str:
    # Stored as UTC text without an offset; the modifier moves it to Beijing time.
    return f"strftime('{_SQLITE[element.unit]}', {compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(_ChinaCalendar, "postgresql")
def _postgresql(element: _ChinaCalendar, compiler, **kw) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"to_char(timezone('UTC', {moment}) + interval '8 hours', '{_POSTGRESQL[element.unit]}')"
