"""承诺办结时限: the clock of an application runs in mainland working days from its submission,
stops while the applicant supplies 补正 materials, and is kept as it was at the decision."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.applications.models import Application
from app.catalog.models import OnlineForm
from app.core.schemas import CHINA_TIME
from tests.support.applying import decide, submitted_application
from tests.support.clock import FrozenClock


@pytest.fixture
def clock(monkeypatch) -> FrozenClock:
    return FrozenClock(monkeypatch, "app.applications.service.utcnow", "app.applications.deadlines.utcnow")


def beijing(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHINA_TIME)


async def clock_of(session, application: dict) -> Application:
    row = await session.scalar(select(Application).where(Application.id == application["id"]))
    await session.refresh(row)
    return row


async def test_each_online_item_promises_its_guide_limit_and_fuel_reports_none(session):
    promised = dict((await session.execute(select(OnlineForm.item_code, OnlineForm.promised_working_days))).all())

    assert promised == {"TH-001": 15, "TH-002": 15, "WF-001": 5, "WF-002": None, "WF-003": None}


async def test_the_clock_skips_the_holidays_counts_the_make_up_day_and_stops_for_supplement(
    api, corp, staff, session, clock
):
    # 提交 just after midnight in Beijing on Thursday 17 September 2026 (still the 16th in UTC):
    # 15 working days skip 中秋 (Fri 25 Sep) and 国庆 (1–7 Oct) and count the make-up
    # workdays Sun 20 Sep and Sat 10 Oct.
    clock.set(beijing(2026, 9, 17, 0, 30))
    application = await submitted_application(api, corp, "TH-002")
    assert (await clock_of(session, application)).due_on == date(2026, 10, 14)

    # 补正 on Monday 21 September: the clock stops.
    clock.set(beijing(2026, 9, 21, 15))
    await decide(api, staff, application, "request_supplement", comment="材料不全", missing_materials=["图纸"])
    paused = await clock_of(session, application)
    assert paused.due_on is None

    # Resubmitted on Monday 28 September: 4 working days went by in 补正 (22, 23, 24 and 28
    # September; the 25th is 中秋), so the due date moves 4 working days later.
    clock.set(beijing(2026, 9, 28, 9))
    resubmitted = await api.post(f"/applications/{application['id']}/submit", headers=corp)
    assert resubmitted.status_code == 200, resubmitted.text
    assert (await clock_of(session, application)).due_on == date(2026, 10, 20)

    clock.set(beijing(2026, 9, 29))
    await decide(api, staff, application, "accept")
    clock.set(decided := beijing(2026, 10, 16, 16))
    await decide(api, staff, application, "approve")
    finished = await clock_of(session, application)
    assert (finished.due_on, finished.decided_at) == (date(2026, 10, 20), decided)


async def test_a_fuel_report_has_no_decision_deadline_but_its_receipt_time_is_kept(api, corp, staff, session, clock):
    clock.set(beijing(2026, 9, 16))
    report = await submitted_application(api, corp, "WF-002")
    assert (await clock_of(session, report)).due_on is None

    await decide(api, staff, report, "accept")
    await decide(api, staff, report, "approve")
    assert (await clock_of(session, report)).decided_at == beijing(2026, 9, 16)


async def test_a_cancelled_application_has_no_deadline_and_its_next_submission_starts_afresh(
    api, corp, session, clock
):
    clock.set(beijing(2026, 9, 16))
    application = await submitted_application(api, corp, "TH-001")
    assert (await clock_of(session, application)).due_on == date(2026, 10, 13)

    cancelled = await api.post(f"/applications/{application['id']}/cancel", headers=corp)
    assert cancelled.status_code == 200, cancelled.text
    assert (await clock_of(session, application)).due_on is None

    clock.set(beijing(2026, 10, 12))
    again = await api.post(f"/applications/{application['id']}/submit", headers=corp)
    assert again.status_code == 200, again.text
    assert (await clock_of(session, application)).due_on == date(2026, 11, 2)


async def test_a_rejection_is_a_decision_and_keeps_the_due_date(api, corp, staff, session, clock):
    clock.set(beijing(2026, 12, 7))
    application = await submitted_application(api, corp, "WF-001")
    clock.set(rejected := beijing(2026, 12, 8))

    await decide(api, staff, application, "reject", comment="不属于本机关职权范围")

    row = await clock_of(session, application)
    assert (row.due_on, row.decided_at) == (date(2026, 12, 14), rejected)
