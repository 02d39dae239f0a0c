"""The counts, grouped in SQL by item and Beijing month: never one row per application.

Each query narrows to the agencies in scope and the period first (the columns the indexes lead
with), then groups. Months and days are cut in Beijing time by ``app.statistics.buckets``.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications.models import Application, ApplicationEvent, Evaluation
from app.applications.state_machine import Action
from app.catalog.models import ServiceItem
from app.statistics.buckets import china_day, china_month

# Decisions that end an application: 办结, 不予许可 (after 受理) and 不予受理.
FINISHING = (Action.approve.value, Action.decline.value, Action.reject.value)
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


async def finished(session: AsyncSession, scope: Scope) -> list[tuple[str, str, str, str, int]]:
    """(item, month, submitted day, decided day, count) of the decisions that ended an
    application in the period: the days, so that working days are counted on the calendar."""
    decided = ApplicationEvent.occurred_at
    month, submitted_day, decided_day = china_month(decided), china_day(Application.submitted_at), china_day(decided)
    query = (
        select(Application.item_code, month, submitted_day, decided_day, func.count())
        .join(Application, Application.id == ApplicationEvent.application_id)
        .where(
            ApplicationEvent.action.in_(FINISHING),
            *scope.within(decided, Application.agency_code, Application.item_code),
        )
        .group_by(Application.item_code, month, submitted_day, decided_day)
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

