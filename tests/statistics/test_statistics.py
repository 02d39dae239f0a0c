"""统计分析: a staff member sees what their agency subtree received, accepted and finished in a
period, by item and by Beijing month, with the working days it took and the 好评率.

The applications are made through the API as the manual describes (提交, 受理, 办结, 不予受理,
好差评), each step at a known moment of a frozen clock."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from app.applications.models import Evaluation
from app.core.schemas import CHINA_TIME
from tests.support.clock import FrozenClock
from tests.support.applying import decide, filled_draft, login, staff_of_another_agency, submitted_application
from tests.support.people import bearer


class Clock(FrozenClock):
    def at(self, written: str) -> None:
        """Move to a Beijing time written as ``2026-03-02 10:00``."""
        self.set(datetime.fromisoformat(written).replace(tzinfo=CHINA_TIME).astimezone(UTC))


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """What the application service and the statistics take as now (“今天” for 超期)."""
    return Clock(
        monkeypatch,
        "app.applications.service.utcnow",
        "app.applications.deadlines.utcnow",
        "app.statistics.service.utcnow",
    )


async def _rate(api, session, company, application, rating: int, at: datetime) -> None:
    body = {"rating": rating, **({"comment": "等待时间太长"} if rating <= 2 else {})}
    response = await api.post(f"/applications/{application['id']}/evaluation", json=body, headers=company)
    assert response.status_code == 201, response.text
    # The rating's moment as the applicant gave it (the row's default reads the real clock).
    await session.execute(
        update(Evaluation).where(Evaluation.id == response.json()["id"]).values(created_at=at)
    )


async def _submit(api, clock, company, item_code: str, when: str, agency: str = "SH") -> dict:
    clock.at(when)
    draft = await filled_draft(api, company, item_code)
    return await submitted_application(api, company, item_code, {**draft, "agency_code": agency})


@pytest.fixture
async def year_of_work(api, session, clock):
    """2026 at 上海海事局 and 天津海事局, fuel reports (WF-002, WF-003) made by demo-corp:

    - A WF-002 上海: submitted Mon 03-02, 受理 03-03, 办结 Fri 03-06 (4 working days); ★5 on 03-09
    - B WF-002 上海: submitted 03-04, 不予受理 03-05 (1 working day); ★2 on 03-06
    - C WF-003 上海: submitted 04-01, 受理 04-02, 办结 04-10 (6 working days: 清明 04-04..06 off); ★4 on 04-13
    - D WF-003 上海: submitted 04-15, still waiting
    - E WF-002 天津: submitted 03-10, 受理 03-11 (not 上海's)
    - G TH-002 上海 (15 working days): submitted 05-06, due 05-26, 不予受理 05-07: on time (1 working day)
    - H TH-002 上海: submitted 05-06, due 05-26, 不予受理 06-30: late (39 working days)
    - I TH-002 上海: submitted 06-01, due 06-23, still waiting: overdue
    - F WF-002 上海: submitted 2026-12-31T17:00Z, which is 2027-01-01 01:00 in Beijing (and now)

    Fuel reports have no 承诺办结时限: they count in no on-time rate.
    """
    company = await login(api, "demo-corp")
    shanghai = await login(api, "demo-staff-sh")
    tianjin = bearer(await staff_of_another_agency(api, session))

    a = await _submit(api, clock, company, "WF-002", "2026-03-02 10:00")
    clock.at("2026-03-03 09:00")
    a = await decide(api, shanghai, a, "accept")
    clock.at("2026-03-06 16:00")
    a = await decide(api, shanghai, a, "approve", comment="已接收")
    await _rate(api, session, company, a, 5, datetime(2026, 3, 9, 1, tzinfo=UTC))

    b = await _submit(api, clock, company, "WF-002", "2026-03-04 11:00")
    clock.at("2026-03-05 15:00")
    b = await decide(api, shanghai, b, "reject", comment="不属于本机构管辖")
    await _rate(api, session, company, b, 2, datetime(2026, 3, 6, 1, tzinfo=UTC))

    c = await _submit(api, clock, company, "WF-003", "2026-04-01 09:30")
    clock.at("2026-04-02 10:00")
    c = await decide(api, shanghai, c, "accept")
    clock.at("2026-04-10 17:00")
    c = await decide(api, shanghai, c, "approve", comment="已接收")
    await _rate(api, session, company, c, 4, datetime(2026, 4, 13, 2, tzinfo=UTC))

    await _submit(api, clock, company, "WF-003", "2026-04-15 14:00")

    e = await _submit(api, clock, company, "WF-002", "2026-03-10 10:00", agency="TJ")
    clock.at("2026-03-11 10:00")
    await decide(api, tianjin, e, "accept")

    g = await _submit(api, clock, company, "TH-002", "2026-05-06 10:00")
    clock.at("2026-05-07 10:00")
    await decide(api, shanghai, g, "reject", comment="不属于本机构管辖")
    h = await _submit(api, clock, company, "TH-002", "2026-05-06 11:00")
    clock.at("2026-06-30 10:00")
    await decide(api, shanghai, h, "reject", comment="申请人已不具备条件")
    await _submit(api, clock, company, "TH-002", "2026-06-01 10:00")

    clock.set(datetime(2026, 12, 31, 17, tzinfo=UTC))
    await _submit(api, clock, company, "WF-002", "2027-01-01 01:00")
    return {"shanghai": shanghai, "tianjin": tianjin}


async def _statistics(api, headers, **query) -> dict:
    response = await api.get("/staff/statistics", params=query, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _on_time(figures: dict) -> tuple:
    return figures["finished_with_deadline"], figures["finished_on_time"], figures["on_time_rate"]


def _counts(figures: dict) -> tuple:
    return (
        figures["received"],
        figures["accepted"],
        figures["finished"],
        figures["average_working_days"],
        figures["ratings"],
        figures["good_ratings"],
        figures["good_rating_rate"],
    )


async def test_a_year_of_work_is_counted_in_total_by_item_and_by_month(api, year_of_work):
    figures = await _statistics(
        api, year_of_work["shanghai"], period_from="2026-01-01", period_to="2026-12-31"
    )

    # 收件 A B C D G H I, 受理 A C, 办结 A B C G H in (4 + 1 + 6 + 1 + 39) / 5 working days,
    # 好评 2 of 3 ratings; of G and H (the only ones with a due date) G was on time; I is overdue.
    totals = figures["totals"]
    assert _counts(totals) == (7, 2, 5, 10.2, 3, 2, 0.6667)
    assert _on_time(totals) == (2, 1, 0.5) and totals["overdue_open"] == 1
    assert {row["item_code"]: (*_counts(row), *_on_time(row), row["overdue_open"]) for row in figures["by_item"]} == {
        "TH-002": (3, 0, 2, 20.0, 0, 0, None, 2, 1, 0.5, 1),
        "WF-002": (2, 1, 2, 2.5, 2, 1, 0.5, 0, 0, None, 0),
        "WF-003": (2, 1, 1, 6.0, 1, 1, 1.0, 0, 0, None, 0),
    }
    assert [row["item_name"] for row in figures["by_item"]] == [
        "通航水域岸线安全使用许可",
        "不合规燃油信息报告",
        "因燃油导致发动机故障报告",
    ]
    months = {row["month"]: _counts(row) for row in figures["by_month"]}
    assert list(months) == [f"2026-{month:02d}" for month in range(1, 13)]
    assert months["2026-03"] == (2, 1, 2, 2.5, 2, 1, 0.5)
    assert months["2026-04"] == (2, 1, 1, 6.0, 1, 1, 1.0)
    assert months["2026-05"] == (2, 0, 1, 1.0, 0, 0, None)
    assert months["2026-06"] == (1, 0, 1, 39.0, 0, 0, None)
    assert [_on_time(row) for row in figures["by_month"][4:6]] == [(1, 1, 1.0), (1, 0, 0.0)]
    assert months["2026-07"] == (0, 0, 0, None, 0, 0, None)


async def test_filters_narrow_to_one_item_and_one_agency_of_the_subtree(api, year_of_work):
    shanghai = year_of_work["shanghai"]
    one_item = await _statistics(
        api, shanghai, period_from="2026-01-01", period_to="2026-12-31", item_code="WF-003"
    )
    assert _counts(one_item["totals"]) == (2, 1, 1, 6.0, 1, 1, 1.0) and one_item["totals"]["overdue_open"] == 0
    assert [row["item_code"] for row in one_item["by_item"]] == ["WF-003"]

    office = await _statistics(
        api, shanghai, period_from="2026-01-01", period_to="2026-12-31", agency_code="SH-WS"
    )
    assert _counts(office["totals"]) == (0, 0, 0, None, 0, 0, None) and office["by_item"] == []


async def test_staff_of_another_agency_see_only_their_own_subtree(api, year_of_work):
    tianjin = await _statistics(
        api, year_of_work["tianjin"], period_from="2026-01-01", period_to="2026-12-31"
    )
    assert _counts(tianjin["totals"]) == (1, 1, 0, None, 0, 0, None)

    for outside in ("TJ", "CN", "NO-SUCH"):
        refused = await api.get(
            "/staff/statistics", params={"agency_code": outside}, headers=year_of_work["shanghai"]
        )
        assert refused.status_code == 404, outside
        assert refused.json()["code"] == "agency.not_found"


async def test_the_root_agency_sees_every_subtree(api, year_of_work):
    root = await login(api, "demo-staff")
    figures = await _statistics(api, root, period_from="2026-03-01", period_to="2026-04-30")
    assert figures["totals"]["received"] == 5 and figures["totals"]["accepted"] == 3
    assert figures["totals"]["overdue_open"] == 1


async def test_months_are_beijing_months_across_the_new_year(api, year_of_work):
    shanghai = year_of_work["shanghai"]

    # Submitted 2026-12-31T17:00Z: in Beijing that is 2027-01-01 01:00, a January application.
    figures = await _statistics(api, shanghai, period_from="2026-12-01", period_to="2027-01-31")
    assert [(row["month"], row["received"]) for row in figures["by_month"]] == [
        ("2026-12", 0),
        ("2027-01", 1),
    ]
    december = await _statistics(api, shanghai, period_from="2026-12-31", period_to="2026-12-31")
    assert december["totals"]["received"] == 0
    new_year = await _statistics(api, shanghai, period_from="2027-01-01", period_to="2027-01-01")
    assert new_year["totals"]["received"] == 1


async def test_the_period_defaults_to_this_year(api, year_of_work, clock):
    clock.set(datetime(2026, 12, 7, 2, tzinfo=UTC))
    figures = await _statistics(api, year_of_work["shanghai"])
    assert (figures["period_from"], figures["period_to"]) == ("2026-01-01", "2026-12-31")
    assert len(figures["by_month"]) == 12


async def test_a_period_of_more_than_24_months_is_refused_clearly(api):
    shanghai = await login(api, "demo-staff-sh")

    longest = await api.get(
        "/staff/statistics", params={"period_from": "2025-01-01", "period_to": "2026-12-31"}, headers=shanghai
    )
    assert longest.status_code == 200 and len(longest.json()["by_month"]) == 24

    too_long = await api.get(
        "/staff/statistics", params={"period_from": "2025-01-01", "period_to": "2027-01-01"}, headers=shanghai
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"] == [
        {"loc": ["query", "period_to"], "msg": "统计期间最长 24 个月，请缩短期间后再查询", "type": "period_too_long"}
    ]
    only_start = await api.get("/staff/statistics", params={"period_from": "2020-01-01"}, headers=shanghai)
    assert only_start.status_code == 200 and only_start.json()["period_to"] == "2020-12-31"

    reversed_period = await api.get(
        "/staff/statistics", params={"period_from": "2026-05-01", "period_to": "2026-04-30"}, headers=shanghai
    )
    assert reversed_period.status_code == 422
    assert reversed_period.json()["errors"][0]["type"] == "invalid_range"


async def test_dates_at_the_ends_of_the_calendar_are_no_trouble(api):
    shanghai = await login(api, "demo-staff-sh")
    for start, end in (("0001-01-01", "0001-12-31"), ("9999-01-01", "9999-12-31")):
        response = await api.get(
            "/staff/statistics", params={"period_from": start, "period_to": end}, headers=shanghai
        )
        assert response.status_code == 200, response.text
        assert response.json()["totals"]["received"] == 0


async def test_only_staff_see_statistics(api):
    company = await login(api, "demo-corp")
    assert (await api.get("/staff/statistics", headers=company)).status_code == 403
    assert (await api.get("/staff/statistics")).status_code == 401




async def test_an_application_is_overdue_from_the_day_after_its_due_date(api, year_of_work, clock):
    # I was submitted 2026-06-01 with 15 working days: due Tuesday 2026-06-23.
    counts = {}
    for day in ("2026-06-23 23:00", "2026-06-24 00:30"):
        clock.at(day)
        counts[day] = (await _statistics(api, year_of_work["shanghai"], item_code="TH-002"))["totals"]["overdue_open"]
    assert counts == {"2026-06-23 23:00": 0, "2026-06-24 00:30": 1}
