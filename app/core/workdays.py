"""Working days on the mainland calendar: weekends and public holidays are off, the weekend
days the State Council moves work to (调休) are on.

Time limits in the guides (承诺办结时限, 回访整改) are counted in these days. The calendar comes
from ``chinesecalendar``, which follows each year's State Council notice; a year it does not
know yet (the notice comes out in November or December) is counted Monday to Friday, and
``calendar_covers`` lets callers say that such a date is provisional.
"""

from datetime import date, timedelta

import chinese_calendar

_ONE_DAY = timedelta(days=1)


def calendar_covers(day: date) -> bool:
    """Whether the published holiday arrangement of ``day``'s year is known."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year not yet published: Monday to Friday
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The day on which ``days`` working days after ``start`` have passed.

    ``start`` itself does not count (a limit runs from the day after receipt), so one working
    day after a Friday is the next Monday, or later if that is a holiday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += _ONE_DAY
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """The working days after ``start`` up to and including ``end``; negative when ``end`` is
    earlier (overdue by that many), 0 on the same day."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += _ONE_DAY
        count += is_working_day(day)
    return count
