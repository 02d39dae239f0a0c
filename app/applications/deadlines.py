"""承诺办结时限: the clock of an application, counted in mainland working days.

The clock starts at the first submission: ``due_on`` is the item's ``promised_working_days``
after the submission day (Beijing time), on the working-day calendar (``app.core.workdays``).
补正 pauses it: ``due_on`` is cleared and kept in ``due_on_at_pause`` with ``paused_on``; the
resubmission moves the kept date later by the working days spent in 补正. A cancel or a
withdrawal stops it (the next submission starts afresh). A decision records ``decided_at`` and
leaves ``due_on`` as it was, so that on-time statistics can compare the two.
"""

from datetime import date, datetime

from app.applications.models import Application
from app.applications.state_machine import Action, Status
from app.core.db import utcnow
from app.core.schemas import china_time
from app.core.workdays import add_working_days, working_days_between

DECISIONS = frozenset({Action.approve, Action.decline, Action.reject})


def china_day(moment: datetime) -> date:
    """The Beijing-time date of ``moment``: limits are counted in Beijing days."""
    return china_time(moment).date()


def today() -> date:
    return china_day(utcnow())


def advance(application: Application, action: Action, *, at: datetime, promised_working_days: int | None) -> None:
    """Move the clock for ``action`` taken at ``at`` (before the status changes)."""
    day = china_day(at)
    if action is Action.submit:
        if Status(application.status) is Status.supplement_required and application.due_on_at_pause is not None:
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
