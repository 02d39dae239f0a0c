"""承诺办结时限 are counted in working days on the mainland calendar."""

from datetime import date

import pytest

from app.core.workdays import add_working_days, calendar_covers, is_working_day, working_days_between


def test_a_limit_runs_from_the_day_after_receipt():
    assert add_working_days(date(2026, 6, 8), 1) == date(2026, 6, 9)  # Monday → Tuesday
    assert add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 15)  # Friday → Monday
    assert add_working_days(date(2026, 6, 12), 0) == date(2026, 6, 12)


def test_the_national_day_holiday_is_skipped_and_the_make_up_saturday_counts():
    # 2026: 1–7 October off; Saturday 10 October is a working day (调休).
    assert not is_working_day(date(2026, 10, 1))
    assert is_working_day(date(2026, 10, 10))
    # Received on Wednesday 30 September: 8, 9, 10 October are the first three working days.
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 4) == date(2026, 10, 12)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4


def test_the_mid_autumn_make_up_sunday_counts():
    # Sunday 20 September 2026 is worked for the National Day bridge.
    assert add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)


def test_counting_back_gives_how_many_working_days_overdue():
    assert working_days_between(date(2026, 10, 12), date(2026, 9, 30)) == -4
    assert working_days_between(date(2026, 6, 8), date(2026, 6, 8)) == 0


def test_a_year_not_yet_published_counts_monday_to_friday_and_says_so():
    far = date(2031, 1, 3)  # a Friday
    assert not calendar_covers(far)
    assert add_working_days(far, 1) == date(2031, 1, 6)
    assert calendar_covers(date(2026, 10, 1))


def test_a_negative_number_of_days_is_a_programming_error():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 6, 8), -1)
