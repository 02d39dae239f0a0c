"""办件队列 filters: staff narrow their subtree's queue by item, agency, number, applicant and date,
and no filter reaches past the subtree."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.applications.models import Application
from tests.support.applying import login


@pytest.fixture
async def placed(session):
    """Eight applications of demo-corp across 上海's subtree and 天津, submitted one a day."""
    applicant = await session.scalar(select(User).where(User.username == "demo-corp"))
    # 2026-03-01 20:00 Beijing time is 12:00 UTC: the day boundary is Beijing's, not UTC's.
    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    rows = {}
    for day, (name, agency, item, contact) in enumerate(
        [
            ("sh-wf", "SH", "WF-002", "王海明"),
            ("ys-wf", "SH-YS", "WF-002", "李四"),
            ("sh-th", "SH", "TH-002", "王海明"),
            ("tj-wf", "TJ", "WF-002", "王海明"),
            ("pd-th", "SH-PD", "TH-002", "张三"),
        ]
    ):
        moment = start + timedelta(days=day)
        rows[name] = Application(
            item_code=item,
            applicant_id=applicant.id,
            agency_code=agency,
            status="submitted",
            form={},
            number=f"HS2026030{day + 1}120000",
            contact_name=contact,
            created_at=moment,
            submitted_at=moment,
        )
    session.add_all(rows.values())
    await session.flush()
    return {name: row.id for name, row in rows.items()}


async def _queue(api, headers, **query) -> set[str]:
    response = await api.get("/staff/applications", params={"limit": 100, **query}, headers=headers)
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def test_staff_narrow_the_queue_by_item_agency_number_and_applicant(api, placed):
    shanghai = await login(api, "demo-staff-sh")
    mine = {placed[name] for name in ("sh-wf", "ys-wf", "sh-th", "pd-th")}

    assert await _queue(api, shanghai) >= mine and placed["tj-wf"] not in await _queue(api, shanghai)
    assert await _queue(api, shanghai, item_code="TH-002") & set(placed.values()) == {
        placed["sh-th"],
        placed["pd-th"],
    }
    assert await _queue(api, shanghai, agency_code="SH-YS") & set(placed.values()) == {placed["ys-wf"]}
    assert await _queue(api, shanghai, number="HS20260303120000") == {placed["sh-th"]}
    assert await _queue(api, shanghai, applicant="王海明", item_code="WF-002") & set(placed.values()) == {
        placed["sh-wf"]
    }


async def test_the_submitted_dates_are_beijing_days_both_ends_included(api, placed):
    shanghai = await login(api, "demo-staff-sh")

    # Submitted 2026-03-02 20:00 and 2026-03-03 20:00 Beijing time (12:00 UTC).
    days = await _queue(api, shanghai, submitted_from="2026-03-02", submitted_to="2026-03-03")

    assert days & set(placed.values()) == {placed["ys-wf"], placed["sh-th"]}


async def test_dates_at_the_ends_of_the_calendar_are_no_bound_at_all(api, placed):
    shanghai = await login(api, "demo-staff-sh")

    everything = await _queue(api, shanghai, submitted_from="0001-01-01", submitted_to="9999-12-31")

    assert everything >= {placed["sh-wf"], placed["pd-th"]}


async def test_an_agency_filter_never_reaches_past_the_callers_subtree(api, placed):
    shanghai = await login(api, "demo-staff-sh")

    assert await _queue(api, shanghai, agency_code="TJ") == set()
    assert await _queue(api, shanghai, agency_code="CN") >= {placed["sh-wf"], placed["pd-th"]}
    assert placed["tj-wf"] not in await _queue(api, shanghai, agency_code="CN")
    assert await _queue(api, shanghai, agency_code="NO-SUCH") == set()


async def test_a_malformed_filter_is_refused_with_the_field_named(api):
    shanghai = await login(api, "demo-staff-sh")

    response = await api.get("/staff/applications", params={"submitted_from": "3月2日"}, headers=shanghai)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "submitted_from"
    for name in ("王\x00海明", "王\u200b海明"):
        refused = await api.get("/staff/applications", params={"applicant": name}, headers=shanghai)
        assert refused.status_code == 422 and refused.json()["errors"][0]["loc"][-1] == "applicant"


async def test_a_date_is_written_as_a_date_not_as_a_number_of_days(api):
    # The schema says `format: date`; Pydantic alone would read "0" as 1970-01-01.
    shanghai = await login(api, "demo-staff-sh")

    for written in ("0", "20261207", "2026-12-7"):
        refused = await api.get("/staff/applications", params={"submitted_to": written}, headers=shanghai)
        assert refused.status_code == 422, written
        assert refused.json()["errors"][0]["loc"][-1] == "submitted_to"
        assert refused.json()["errors"][0]["msg"] == "请按 2026-12-07 的格式填写日期"
