"""承诺办结时限: the clock of an application runs in mainland working days from its submission,
stops while the applicant supplies 补正 materials, and is kept as it was at the decision."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.applications.models import Application
from app.catalog.models import OnlineForm
from app.catalog.seed import load_online_forms
from app.core.seeding import read_seed
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
    await decide(
        api,
        staff,
        application,
        "request_supplement",
        comment="材料不全",
        supplement_items=[{"target": "material", "key": "technical_documents", "reason": "缺少图纸"}],
    )
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


# --- what staff see: the countdown, the deadline order and the 超期 / 即将超期 filters -----------

TODAY = beijing(2026, 12, 7, 9)  # a Monday; 即将到期 (3 working days) runs to Thursday the 10th


@pytest.fixture
async def clocks(session, clock):
    """Applications of demo-corp in 上海's subtree, each at another point of its clock."""
    clock.set(TODAY)
    applicant = await session.scalar(select(User).where(User.username == "demo-corp"))
    rows = {}
    for position, (name, status, item, due_on, extra) in enumerate(
        [
            ("late", "submitted", "WF-001", date(2026, 11, 27), {}),
            ("today", "accepted", "TH-002", date(2026, 12, 7), {}),
            ("soon", "submitted", "TH-001", date(2026, 12, 10), {}),
            ("fine", "submitted", "TH-001", date(2026, 12, 11), {}),
            ("next_year", "submitted", "TH-002", date(2027, 1, 5), {}),
            (
                "paused",
                "supplement_required",
                "TH-002",
                None,
                {"paused_on": date(2026, 12, 1), "due_on_at_pause": date(2026, 12, 4)},
            ),
            ("met", "approved", "WF-001", date(2026, 12, 4), {"decided_at": beijing(2026, 12, 3)}),
            ("missed", "declined", "WF-001", date(2026, 11, 30), {"decided_at": beijing(2026, 12, 2)}),
            ("report", "submitted", "WF-002", None, {}),
        ]
    ):
        moment = beijing(2026, 11, 1) + timedelta(hours=position)
        rows[name] = Application(
            item_code=item,
            applicant_id=applicant.id,
            agency_code="SH-PD" if position % 2 else "SH",
            status=status,
            form={},
            number=f"HS20261101{position:06d}",
            created_at=moment,
            submitted_at=moment,
            due_on=due_on,
            **extra,
        )
    session.add_all(rows.values())
    await session.flush()
    return {name: row.id for name, row in rows.items()}


async def _walk(api, headers, **query) -> list[dict]:
    """Every page of the queue, two at a time, in order."""
    items, cursor = [], None
    while True:
        params = {"limit": 2, **query, **({"cursor": cursor} if cursor else {})}
        response = await api.get("/staff/applications", params=params, headers=headers)
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return items


def _named(items: list[dict], clocks: dict) -> list[str]:
    names = {id_: name for name, id_ in clocks.items()}
    return [names[item["id"]] for item in items if item["id"] in names]


async def test_each_queue_entry_shows_its_countdown(api, staff, clocks):
    shown = {name: None for name in clocks}
    for item in await _walk(api, staff):
        for name, id_ in clocks.items():
            if item["id"] == id_:
                shown[name] = item["deadline"]

    def brief(deadline):
        return (deadline["due_on"], deadline["working_days_left"], deadline["state"]["label"], deadline["provisional"])

    assert brief(shown["late"]) == ("2026-11-27", -6, "已超期", False)
    assert brief(shown["today"]) == ("2026-12-07", 0, "即将到期", False)
    assert brief(shown["soon"]) == ("2026-12-10", 3, "即将到期", False)
    assert brief(shown["fine"]) == ("2026-12-11", 4, "未到期", False)
    # 2027's holidays are not published yet: the date is counted Monday to Friday, provisionally.
    assert brief(shown["next_year"]) == ("2027-01-05", 21, "未到期", True)
    assert brief(shown["paused"]) == (None, 3, "暂停计时（补正中）", False)
    assert brief(shown["met"]) == ("2026-12-04", 1, "按期办结", False)
    assert brief(shown["missed"]) == ("2026-11-30", -2, "超期办结", False)
    assert shown["report"] is None
    assert shown["late"]["state"]["code"] == "overdue"


async def test_sorted_by_deadline_the_earliest_due_come_first_and_those_without_a_running_clock_last(
    api, staff, clocks
):
    order = _named(await _walk(api, staff, sort="deadline"), clocks)

    assert order[:5] == ["late", "today", "soon", "fine", "next_year"]
    assert set(order[5:]) == {"paused", "met", "missed", "report"}


async def test_staff_filter_the_overdue_and_the_soon_due(api, staff, clocks):
    assert _named(await _walk(api, staff, due="overdue"), clocks) == ["late"]
    assert set(_named(await _walk(api, staff, due="due_soon"), clocks)) == {"today", "soon"}
    assert _named(await _walk(api, staff, due="due_soon", sort="deadline"), clocks) == ["today", "soon"]


async def test_the_warning_window_is_a_setting(api, staff, clocks, settings, monkeypatch):
    monkeypatch.setattr(settings, "deadline_warning_working_days", 0)

    assert _named(await _walk(api, staff, due="due_soon"), clocks) == ["today"]


async def test_the_staff_detail_shows_the_deadline_and_the_applicant_sees_none(api, staff, corp, clocks):
    detail = await api.get(f"/staff/applications/{clocks['soon']}", headers=staff)
    assert detail.json()["deadline"]["working_days_left"] == 3

    mine = await api.get(f"/applications/{clocks['soon']}", headers=corp)
    assert mine.json()["deadline"] is None


@pytest.mark.parametrize("query", [{"due": "late"}, {"sort": "due_on"}, {"sort": ""}])
async def test_an_unknown_filter_or_order_is_refused(api, staff, query):
    response = await api.get("/staff/applications", params=query, headers=staff)

    assert response.status_code == 422


@pytest.mark.parametrize("days", ["missing", 0, -5, "15", 2.5, True])
async def test_an_item_without_a_sound_limit_stops_the_seed(session, days):
    form = next(f for f in read_seed("app.catalog", "online_items.json") if f["item_code"] == "TH-001")
    form = {k: v for k, v in form.items() if k != "promised_working_days"}
    if days != "missing":
        form["promised_working_days"] = days

    with pytest.raises(ValueError, match="TH-001: promised_working_days"):
        await load_online_forms(session, [form])
