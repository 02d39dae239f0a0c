"""The statistics of an agency subtree for a period: the counts come grouped from SQL
(``repository``), here they are folded into totals, items and months."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.service import AgencyNotFound, agency_subtree
from app.core.db import utcnow
from app.core.errors import InvalidInput
from app.core.schemas import CHINA_TIME, china_time
from app.core.workdays import working_days_between
from app.statistics import repository
from app.statistics.repository import Scope
from app.statistics.schemas import ItemFigures, MonthFigures, Statistics, SubtreeFigures

# The longest period asked at once, in calendar months (both ends' months included).
MAX_MONTHS = 24


@dataclass
class _Tally:
    received: int = 0
    accepted: int = 0
    finished: int = 0
    finished_with_deadline: int = 0
    finished_on_time: int = 0
    working_days: int = 0
    ratings: int = 0
    good_ratings: int = 0

    def figures(self) -> dict:
        return {
            "received": self.received,
            "accepted": self.accepted,
            "finished": self.finished,
            "finished_with_deadline": self.finished_with_deadline,
            "finished_on_time": self.finished_on_time,
            "on_time_rate": (
                round(self.finished_on_time / self.finished_with_deadline, 4) if self.finished_with_deadline else None
            ),
            "average_working_days": round(self.working_days / self.finished, 2) if self.finished else None,
            "ratings": self.ratings,
            "good_ratings": self.good_ratings,
            "good_rating_rate": round(self.good_ratings / self.ratings, 4) if self.ratings else None,
        }


@dataclass
class _SubtreeTally(_Tally):
    overdue_open: int = 0

    def figures(self) -> dict:
        return {**super().figures(), "overdue_open": self.overdue_open}


@dataclass
class _Tallies:
    total: _SubtreeTally = field(default_factory=_SubtreeTally)
    items: dict[str, _SubtreeTally] = field(default_factory=lambda: defaultdict(_SubtreeTally))
    months: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))

    def of(self, item: str, month: str) -> tuple[_Tally, ...]:
        return self.total, self.items[item], self.months[month]


def _months(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def period(period_from: date | None, period_to: date | None) -> tuple[date, date]:
    """The period asked, defaulting to this (Beijing) year; refused when reversed or longer
    than ``MAX_MONTHS`` months."""
    this_year = china_time(utcnow()).year
    if period_from is None:
        period_from = date(period_to.year if period_to else this_year, 1, 1)
    if period_to is None:
        period_to = date(period_from.year, 12, 31)
    if period_to < period_from:
        raise InvalidInput([(("query", "period_to"), "统计期间的截止日期不能早于开始日期", "invalid_range")])
    if len(_months(period_from, period_to)) > MAX_MONTHS:
        raise InvalidInput(
            [(("query", "period_to"), f"统计期间最长 {MAX_MONTHS} 个月，请缩短期间后再查询", "period_too_long")]
        )
    return period_from, period_to


def _china_midnight(day: date) -> datetime | None:
    """The start of a Beijing day, in UTC; None past the calendar's ends (no bound there)."""
    try:
        return datetime.combine(day, time(), CHINA_TIME).astimezone(UTC)
    except OverflowError:
        return None


async def statistics(
    session: AsyncSession,
    *,
    caller_agency: str,
    agency_code: str | None,
    item_code: str | None,
    period_from: date | None,
    period_to: date | None,
) -> Statistics:
    first, last = period(period_from, period_to)
    agencies = await agency_subtree(session, caller_agency)
    if agency_code is not None:
        if agency_code not in agencies:
            # Outside the caller's subtree it does not exist for them, like an unknown code.
            raise AgencyNotFound(f"海事机构代码“{agency_code}”不存在或不在本机构范围内")
        agencies = await agency_subtree(session, agency_code)
    try:
        before = _china_midnight(last + timedelta(days=1))
    except OverflowError:
        before = None
    scope = Scope(agencies, item_code, _china_midnight(first), before)

    tallies = _Tallies()
    for item, month, count in await repository.received(session, scope):
        for tally in tallies.of(item, month):
            tally.received += count
    for item, month, count in await repository.accepted(session, scope):
        for tally in tallies.of(item, month):
            tally.accepted += count
    for item, month, submitted_day, decided_day, with_deadline, on_time, count in await repository.finished(
        session, scope
    ):
        days = working_days_between(submitted_day, decided_day)
        for tally in tallies.of(item, month):
            tally.finished += count
            tally.finished_with_deadline += with_deadline
            tally.finished_on_time += on_time
            tally.working_days += days * count
    for item, count in await repository.overdue(session, scope, china_time(utcnow()).date()):
        for tally in (tallies.total, tallies.items[item]):
            tally.overdue_open += count
    for item, month, count, good in await repository.ratings(session, scope):
        for tally in tallies.of(item, month):
            tally.ratings += count
            tally.good_ratings += good

    names = await repository.item_names(session, tallies.items)
    by_item = sorted(
        (ItemFigures(item_code=code, item_name=names.get(code, code), **tally.figures()) for code, tally in tallies.items.items()),
        key=lambda row: (-row.received, -row.finished, row.item_code),
    )
    return Statistics(
        period_from=first,
        period_to=last,
        agency_code=agency_code,
        item_code=item_code,
        totals=SubtreeFigures(**tallies.total.figures()),
        by_item=by_item,
        by_month=[MonthFigures(month=month, **tallies.months[month].figures()) for month in _months(first, last)],
    )
