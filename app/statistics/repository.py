"""The counts, grouped in SQL by item and Beijing month: never one row per application.

Each query narrows to the agencies in scope and the period first (the columns the indexes lead
with), then groups. Months and days are cut in Beijing time by ``app.statistics.buckets``.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import Application, ApplicationEvent, Evaluation
from app.applications.state_machine import Action
from app.catalog.models import ServiceItem
from app.statistics.buckets import china_day, china_month

GOOD_RATING = 4


@dataclass(frozen=True)
class Scope:
    """Whose work and when: agencies (already the caller's subtree, narrowed), an optional
    item, and the period as UTC moments (``since`` included, ``before`` excluded; None: open)."""

    agency_codes: Collection[str]
    item_code: str | None
    since: datetime | None
    before: datetime | None

    def within(self, moment, agency, item) -> list:
        conditions = [agency.in_(sorted(self.agency_codes))]
        if self.item_code is not None:
            conditions.append(item == self.item_code)
        if self.since is not None:
            conditions.append(moment >= self.since)
        if self.before is not None:
            conditions.append(moment < self.before)
        return conditions


async def received(session: AsyncSession, scope: Scope) -> list[tuple[str, str, int]]:
    """(item, month, count) of applications by the month of their latest submission."""
    month = china_month(Application.submitted_at)
    query = (
        select(Application.item_code, month, func.count())
        .where(*scope.within(Application.submitted_at, Application.agency_code, Application.item_code))
        .group_by(Application.item_code, month)
    )
    return [tuple(row) for row in await session.execute(query)]


async def accepted(session: AsyncSession, scope: Scope) -> list[tuple[str, str, int]]:
    """(item, month, count) of 受理 decisions taken in the period (an application is accepted once)."""
    month = china_month(ApplicationEvent.occurred_at)
    query = (
        select(Application.item_code, month, func.count())
        .join(Application, Application.id == ApplicationEvent.application_id)
        .where(
            ApplicationEvent.action == Action.accept.value,
            *scope.within(ApplicationEvent.occurred_at, Application.agency_code, Application.item_code),
        )
        .group_by(Application.item_code, month)
    )
    return [tuple(row) for row in await session.execute(query)]


async def finished(session: AsyncSession, scope: Scope) -> list[tuple]:
    """(item, month, submitted day, decided day, with a due date, on time, count) of the
    applications decided in the period (办结, 不予许可, 不予受理): the days, so that working days
    are counted on the calendar; on time when decided on or before the 承诺办结 date."""
    decided = Application.decided_at
    month, submitted_day, decided_day = china_month(decided), china_day(Application.submitted_at), china_day(decided)
    with_deadline = func.count(Application.due_on)
    on_time = func.sum(case((decided_day <= Application.due_on, 1), else_=0))
    query = (
        select(Application.item_code, month, submitted_day, decided_day, with_deadline, on_time, func.count())
        .where(*scope.within(decided, Application.agency_code, Application.item_code))
        .group_by(Application.item_code, month, submitted_day, decided_day)
    )
    return [
        (item, m, submitted, decided_on, deadlines, int(in_time or 0), count)
        for item, m, submitted, decided_on, deadlines, in_time, count in await session.execute(query)
    ]


async def overdue(session: AsyncSession, scope: Scope, today: date) -> list[tuple[str, int]]:
    """(item, count) of the open applications whose 承诺办结 date has passed, now (whatever the
    period): the clock runs (``due_on`` set: not paused for 补正, not withdrawn) and no decision."""
    query = (
        select(Application.item_code, func.count())
        .where(
            Application.agency_code.in_(sorted(scope.agency_codes)),
            Application.due_on.is_not(None),
            Application.decided_at.is_(None),
            Application.due_on < today,
            *([Application.item_code == scope.item_code] if scope.item_code is not None else []),
        )
        .group_by(Application.item_code)
    )
    return [tuple(row) for row in await session.execute(query)]


async def ratings(session: AsyncSession, scope: Scope) -> list[tuple[str, str, int, int]]:
    """(item, month, ratings, good ratings) of the evaluations given in the period."""
    month = china_month(Evaluation.created_at)
    good = func.sum(case((Evaluation.rating >= GOOD_RATING, 1), else_=0))
    query = (
        select(Evaluation.item_code, month, func.count(), good)
        .where(*scope.within(Evaluation.created_at, Evaluation.agency_code, Evaluation.item_code))
        .group_by(Evaluation.item_code, month)
    )
    return [(item, m, count, int(good_count or 0)) for item, m, count, good_count in await session.execute(query)]


async def item_names(session: AsyncSession, codes: Collection[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = await session.execute(select(ServiceItem.code, ServiceItem.name).where(ServiceItem.code.in_(sorted(codes))))
    return {code: name for code, name in rows}

