"""回访整改: a 不满意 or 非常不满意 rating opens a task for the agency; its staff call the applicant
back, record what they found and what they changed, and the applicant reads the outcome in 我的评价."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from app.applications.models import Evaluation
from app.core.schemas import china_time
from app.core.workdays import add_working_days
from app.evaluations import follow_ups
from app.evaluations.models import FollowUp
from tests.support.applying import decide, staff_of_another_agency, submitted_application
from tests.support.audit import trail
from tests.support.people import bearer

CALLED = {
    "contacted_at": "2026-12-07T10:30:00+08:00",
    "channel": "phone",
    "applicant_said": "窗口告知需补交的材料前后不一致，多跑了一趟",
    "finding": "经核实，一次性告知不到位",
}
FIXED = {"rectification": "已对窗口人员进行一次性告知培训，并更新材料清单", "applicant_satisfied": True}


async def finished(api, corp, staff) -> dict:
    application = await decide(api, staff, await submitted_application(api, corp, "WF-002"), "accept")
    return await decide(api, staff, application, "approve")


async def rated(api, corp, application: dict, rating: int, comment: str | None = "等待时间较长，告知不清") -> dict:
    body = {"rating": rating} | ({"comment": comment} if comment else {})
    response = await api.post(f"/applications/{application['id']}/evaluation", json=body, headers=corp)
    assert response.status_code == 201, response.text
    return response.json()


async def task_of(api, staff, application: dict) -> dict:
    items = (await api.get("/staff/follow-ups", params={"limit": 100}, headers=staff)).json()["items"]
    (found,) = [item for item in items if item["application_id"] == application["id"]]
    return found


def contacted_just_now() -> dict:
    return CALLED | {"contacted_at": datetime.now(UTC).isoformat()}


async def test_a_one_star_rating_opens_a_follow_up_for_the_agency_due_in_fifteen_working_days(api, corp, staff):
    application = await finished(api, corp, staff)

    await rated(api, corp, application, 1)

    task = await task_of(api, staff, application)
    today = china_time(datetime.now(UTC)).date()
    assert task["state"] == {"code": "pending", "label": "待回访"}
    assert task["due_on"] == add_working_days(today, 15).isoformat()
    assert task["overdue"] is False and task["working_days_left"] == 15
    assert task["rating"]["label"] == "非常不满意" and task["application_no"] == application["number"]
    assert task["allowed_actions"] == ["record_visit"]


async def test_a_four_star_rating_opens_none(api, corp, staff):
    application = await finished(api, corp, staff)

    evaluation = await rated(api, corp, application, 4, comment=None)

    items = (await api.get("/staff/follow-ups", params={"limit": 100}, headers=staff)).json()["items"]
    assert application["id"] not in [item["application_id"] for item in items]
    assert evaluation["follow_up"] is None


async def test_the_deadline_skips_the_national_day_holiday_and_counts_the_make_up_saturday(session, settings):
    # Rated on Wednesday 30 September 2026 (Beijing): 1–7 October are off, Saturday 10 October
    # is worked. Fifteen working days: 8, 9, 10, 12–16, 19–23, 26 and 27 October.
    evaluation = Evaluation(id="e", agency_code="SH", created_at=datetime(2026, 9, 30, 14, 0, tzinfo=UTC))

    assert follow_ups.open_for(session, settings, evaluation).due_on == date(2026, 10, 27)
    shorter = settings.model_copy(update={"follow_up_working_days": 3})
    assert follow_ups.open_for(session, shorter, evaluation).due_on == date(2026, 10, 10)
    session.expunge_all()


async def test_staff_of_another_agency_find_no_such_task(api, corp, staff, session):
    application = await finished(api, corp, staff)
    await rated(api, corp, application, 2)
    task = await task_of(api, staff, application)
    outsider = bearer(await staff_of_another_agency(api, session))

    listed = (await api.get("/staff/follow-ups", headers=outsider)).json()["items"]
    opened = await api.get(f"/staff/follow-ups/{task['id']}", headers=outsider)
    visited = await api.post(f"/staff/follow-ups/{task['id']}/visit", json=contacted_just_now(), headers=outsider)

    assert task["id"] not in [item["id"] for item in listed]
    assert opened.status_code == visited.status_code == 404
    assert opened.json()["code"] == visited.json()["code"] == "follow_up.not_found"


async def test_staff_call_back_then_record_the_rectification_and_the_applicant_reads_the_outcome(
    api, corp, staff, reader
):
    application = await finished(api, corp, staff)
    await rated(api, corp, application, 1)
    task = await task_of(api, staff, application)
    url = f"/staff/follow-ups/{task['id']}"

    # The detail gives whom to call, in full; the view is recorded.
    shown = (await api.get(url, headers=staff)).json()
    assert shown["contact"]["phone"] == "13800138000"  # unmasked: staff are to call it
    assert shown["comment"] == "等待时间较长，告知不清" and shown["visit"] is None
    assert await trail(api, reader, event="follow_up.personal_data_view", object_id=task["id"])

    # 整改 before 回访 is refused, and so is a version that is no longer current.
    early = await api.post(f"{url}/rectification", json=FIXED, headers=staff)
    assert (early.status_code, early.json()["code"]) == (409, "follow_up.invalid_transition")
    assert early.json()["detail"] == "请先登记回访情况，再登记整改结果"
    stale = await api.post(f"{url}/visit", json=contacted_just_now(), headers=staff | {"If-Match": '"7"'})
    assert (stale.status_code, stale.json()["code"]) == (412, "follow_up.version_mismatch")

    visited = await api.post(
        f"{url}/visit", json=contacted_just_now(), headers=staff | {"If-Match": str(shown["version"])}
    )
    assert visited.status_code == 200, visited.text
    assert visited.json()["state"]["label"] == "待整改"
    assert visited.json()["visit"]["channel"] == {"code": "phone", "label": "电话"}
    assert visited.json()["allowed_actions"] == ["record_rectification"]
    midway = (await api.get("/me/evaluations", headers=corp)).json()["items"][0]["follow_up"]
    assert midway["state"]["label"] == "待整改" and midway["rectification"] is None

    closed = await api.post(
        f"{url}/rectification", json=FIXED, headers=staff | {"If-Match": str(visited.json()["version"])}
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["state"] == {"code": "closed", "label": "已完成"}
    assert closed.json()["allowed_actions"] == [] and closed.json()["working_days_left"] is None
    again = await api.post(f"{url}/visit", json=contacted_just_now(), headers=staff)
    assert (again.status_code, again.json()["detail"]) == (409, "回访整改已完成，不能再登记回访")

    outcome = (await api.get("/me/evaluations", headers=corp)).json()["items"][0]["follow_up"]
    assert outcome["state"]["label"] == "已完成"
    assert outcome["rectification"] == FIXED["rectification"] and outcome["closed_at"]
    # Staff's notes of the call stay with the agency.
    assert set(outcome) == {"state", "due_on", "rectification", "closed_at"}
    (recorded,) = await trail(api, reader, event="follow_up.rectification", object_id=task["id"])
    assert recorded["detail"] == {"applicant_satisfied": True, "to_state": "closed"}


async def test_a_call_back_cannot_be_dated_in_the_future_or_before_the_rating(api, corp, staff):
    application = await finished(api, corp, staff)
    await rated(api, corp, application, 2)
    url = f"/staff/follow-ups/{(await task_of(api, staff, application))['id']}/visit"

    tomorrow = await api.post(
        url, json=CALLED | {"contacted_at": (datetime.now(UTC) + timedelta(days=1)).isoformat()}, headers=staff
    )
    last_year = await api.post(url, json=CALLED | {"contacted_at": "2025-12-07T10:30:00+08:00"}, headers=staff)
    no_channel = await api.post(url, json=CALLED | {"channel": "微信"}, headers=staff)

    assert tomorrow.status_code == last_year.status_code == no_channel.status_code == 422
    assert tomorrow.json()["errors"][0]["msg"] == "回访时间不能晚于现在"
    assert last_year.json()["errors"][0]["msg"] == "回访时间不能早于评价时间"
    assert (await api.get(url.removesuffix("/visit"), headers=staff)).json()["state"]["code"] == "pending"


async def test_an_open_task_past_its_deadline_is_flagged_overdue_and_listed_first(api, corp, staff, session):
    late, fresh, done = [await finished(api, corp, staff) for _ in range(3)]
    for application in (late, fresh, done):
        await rated(api, corp, application, 1)
    ids = {name: (await task_of(api, staff, a))["id"] for name, a in (("late", late), ("fresh", fresh), ("done", done))}
    await session.execute(
        update(FollowUp).where(FollowUp.id.in_([ids["late"], ids["done"]])).values(due_on=date(2026, 10, 27))
    )
    await session.flush()
    await api.post(f"/staff/follow-ups/{ids['done']}/visit", json=contacted_just_now(), headers=staff)
    await api.post(f"/staff/follow-ups/{ids['done']}/rectification", json=FIXED, headers=staff)

    listed = (await api.get("/staff/follow-ups", params={"limit": 100}, headers=staff)).json()["items"]
    mine = [item for item in listed if item["id"] in ids.values()]
    overdue = (await api.get("/staff/follow-ups", params={"overdue": "true"}, headers=staff)).json()["items"]
    closed = (await api.get("/staff/follow-ups", params={"state": "closed"}, headers=staff)).json()["items"]
    counts = (await api.get("/staff/follow-ups/counts", headers=staff)).json()
    detail = (await api.get(f"/staff/follow-ups/{ids['late']}", headers=staff)).json()

    assert [item["id"] for item in mine] == [ids["late"], ids["fresh"], ids["done"]]
    assert [item["overdue"] for item in mine] == [True, False, False]  # done late, but done
    assert [item["id"] for item in overdue] == [ids["late"]]
    assert ids["done"] in [item["id"] for item in closed] and ids["late"] not in [i["id"] for i in closed]
    assert counts["overdue"] == 1 and counts["open"] >= 2
    assert detail["overdue"] is True and detail["working_days_left"] < 0


async def test_the_list_pages_with_a_cursor(api, corp, staff):
    for _ in range(3):
        await rated(api, corp, await finished(api, corp, staff), 2)

    first = (await api.get("/staff/follow-ups", params={"limit": 2}, headers=staff)).json()
    second = (
        await api.get("/staff/follow-ups", params={"limit": 2, "cursor": first["next_cursor"]}, headers=staff)
    ).json()

    assert len(first["items"]) == 2 and second["items"]
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


async def test_the_applicants_data_export_carries_the_follow_up_with_the_evaluation(api, corp, staff):
    application = await finished(api, corp, staff)
    await rated(api, corp, application, 1)

    exported = (await api.get("/me/export", headers=corp)).json()

    (evaluation,) = [e for e in exported["evaluations"] if e["application_id"] == application["id"]]
    assert evaluation["follow_up"]["state"]["label"] == "待回访"


async def test_a_bad_rating_and_its_task_are_stored_together(api, corp, staff, session):
    application = await finished(api, corp, staff)
    evaluation = await rated(api, corp, application, 2)

    task = await session.scalar(select(FollowUp).where(FollowUp.evaluation_id == evaluation["id"]))

    assert task is not None and task.agency_code == evaluation["agency"]["code"]
