"""承诺办结时限: the clock of an application, counted in mainland working days.

The clock starts at the first submission: ``due_on`` is the item's ``promised_working_days``
after the submission day (Beijing time), on the working-day calendar (``app.core.workdays``).
补正 pauses it: ``due_on`` is cleared and kept in ``due_on_at_pause`` with ``paused_on``; the
resubmission moves the kept date later by the working days spent in 补正. A cancel or a
withdrawal stops it (the next submission starts afresh). A decision records ``decided_at`` and
leaves ``due_on`` as it was, so that on-time statistics can compare the two.
"""

from collections.abc import AsyncIterator
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.agencies.repository import all_agencies
from app.agencies.service import agency_subtree, require_agency
from app.applications import repository

from app.applications.models import Application
from app.applications.schemas import Deadline
from app.applications.schemas import DeadlineState as DeadlineStateRead
from app.applications.state_machine import Action, Status
from app.core.db import utcnow
from app.core.enums import LabelledEnum
from app.core.pagination import page_of
from app.core.schemas import china_time
from app.core.workdays import add_working_days, calendar_covers, working_days_between

DECISIONS = frozenset({Action.approve, Action.decline, Action.reject})


def china_day(moment: datetime) -> date:
    """The Beijing-time date of ``moment``: limits are counted in Beijing days."""
    return china_time(moment).date()


def today() -> date:
    return china_day(utcnow())


def advance(
    application: Application, action: Action, *, at: datetime, promised_working_days: int | None
) -> None:
    """Move the clock for ``action`` taken at ``at`` (before the status changes)."""
    day = china_day(at)
    if action is Action.submit:
        paused = Status(application.status) is Status.supplement_required
        if paused and application.due_on_at_pause is not None:
            spent = working_days_between(application.paused_on, day)
            application.due_on = add_working_days(application.due_on_at_pause, max(spent, 0))
        elif promised_working_days is not None:
            application.due_on = add_working_days(day, promised_working_days)
        else:
            application.due_on = None
        application.paused_on = application.due_on_at_pause = None
    elif action is Action.request_supplement:
        application.paused_on, application.due_on_at_pause = day, application.due_on
        application.due_on = None
    elif action in (Action.cancel, Action.withdraw):
        application.due_on = application.paused_on = application.due_on_at_pause = None
    elif action in DECISIONS:
        application.decided_at = at


class DeadlineState(LabelledEnum):
    on_track = "on_track", "未到期"
    due_soon = "due_soon", "即将到期"
    overdue = "overdue", "已超期"
    paused = "paused", "暂停计时（补正中）"
    met = "met", "按期办结"
    missed = "missed", "超期办结"


def soon_before(day: date, warning_days: int) -> date:
    """The first due date that is no longer 即将到期 on ``day``: due dates before it leave at
    most ``warning_days`` working days."""
    return add_working_days(day, warning_days + 1)


def deadline_of(application: Application, *, today: date, warning_days: int) -> Deadline | None:
    """How the application stands against its 承诺办结时限 on ``today``; None without a clock."""
    if application.decided_at is not None:
        if application.due_on is None:
            return None
        left = working_days_between(china_day(application.decided_at), application.due_on)
        on_time = china_day(application.decided_at) <= application.due_on
        state = DeadlineState.met if on_time else DeadlineState.missed
        return _deadline(application.due_on, left, state)
    if Status(application.status) is Status.supplement_required and application.due_on_at_pause is not None:
        left = working_days_between(application.paused_on, application.due_on_at_pause)
        return _deadline(None, left, DeadlineState.paused, provisional_on=application.due_on_at_pause)
    if application.due_on is None:
        return None
    due = application.due_on
    if due < today:
        state = DeadlineState.overdue
    elif due < soon_before(today, warning_days):
        state = DeadlineState.due_soon
    else:
        state = DeadlineState.on_track
    return _deadline(due, working_days_between(today, due), state)


def _deadline(
    due: date | None, left: int, state: DeadlineState, *, provisional_on: date | None = None
) -> Deadline:
    return Deadline(
        due_on=due,
        working_days_left=left,
        state=DeadlineStateRead(code=state.value, label=state.label),
        provisional=not calendar_covers(provisional_on or due),
    )


# --- what is due (python -m app.cli deadlines-due) ------------------------------------------

DUE_PAGE_SIZE = 500


async def what_is_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    day: date,
    agency_code: str | None = None,
    *,
    page_size: int | None = None,
) -> AsyncIterator[dict]:
    """The open applications due on ``day`` or overdue then, of every agency or of
    ``agency_code``'s subtree: agency by agency, earliest due first, one line each.

    Safe to run at any time and any number of times: it only reads, each page in a short
    read-only transaction of its own (no snapshot or lock held for the whole run), one index
    range per page, never more than a page in memory."""
    page_size = page_size or DUE_PAGE_SIZE
    async with sessionmaker() as session:
        await _read_only(session)
        if agency_code is None:
            codes = sorted(agency.code for agency in await all_agencies(session))
        else:
            await require_agency(session, agency_code)
            codes = sorted(await agency_subtree(session, agency_code))
    for code in codes:
        cursor = None
        while True:
            async with sessionmaker() as session:
                await _read_only(session)
                rows = await repository.due_page(session, code, day, cursor, page_size)
            page, cursor = page_of(rows, page_size, repository.RUNNING_DUE_FIRST)
            for row in page:
                yield _due_line(row, day)
            if cursor is None:
                break


async def _read_only(session: AsyncSession) -> None:
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SET TRANSACTION READ ONLY"))


def _due_line(row, day: date) -> dict:
    overdue_by = working_days_between(row.due_on, day)
    return {
        "id": row.id,
        "number": row.number,
        "item_code": row.item_code,
        "agency_code": row.agency_code,
        "status": row.status,
        "due_on": row.due_on.isoformat(),
        "state": "overdue" if row.due_on < day else "due_today",
        "working_days_overdue": overdue_by,
        "provisional": not calendar_covers(row.due_on),
    }
