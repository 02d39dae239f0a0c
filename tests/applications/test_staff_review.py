"""受理与审批: staff decide on the applications of their agency subtree."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.applications.models import Application
from app.audit.models import AuditEvent
from tests.support.applying import decide, login, staff_of_another_agency, submitted_application
from tests.support.people import bearer


async def test_a_supplement_request_lists_what_to_supplement_and_the_applicant_resubmits(api, corp, staff):
    application = await submitted_application(api, corp, "TH-002")

    asked = await decide(
        api,
        staff,
        application,
        "request_supplement",
        comment="材料不全",
        supplement_items=[
            {"target": "material", "key": "safety_assessment_report", "reason": "请提交评审后的定稿"}
        ],
    )

    assert asked["status"]["label"] == "待补正"
    mine = (await api.get(f"/applications/{application['id']}", headers=corp)).json()
    assert {"edit", "submit"} <= set(mine["allowed_actions"])
    notice = mine["notices"][-1]
    content = (
        await api.get(f"/applications/{application['id']}/notices/{notice['id']}", headers=corp)
    ).json()
    assert content["kind"]["label"] == "补正材料通知书"
    assert content["content"]["supplement_items"] == [
        {
            "target": "material",
            "key": "safety_assessment_report",
            "label": "已通过评审的通航安全评估报告",
            "reason": "请提交评审后的定稿",
        }
    ]
    resubmitted = (await api.post(f"/applications/{application['id']}/submit", headers=corp)).json()
    assert resubmitted["status"]["code"] == "submitted"


async def test_a_rejection_needs_a_reason_and_tells_the_appeal_rights(api, corp, staff):
    application = await submitted_application(api, corp, "TH-001")

    no_reason = await api.post(
        f"/staff/applications/{application['id']}/decisions", json={"action": "reject"}, headers=staff
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["msg"] == "不予受理时请填写理由"

    rejected = await decide(api, staff, application, "reject", comment="不属于本机关职权范围")
    assert rejected["status"]["label"] == "不予受理"
    notice = (await api.get(f"/applications/{application['id']}", headers=corp)).json()["notices"][-1]
    content = (
        await api.get(f"/applications/{application['id']}/notices/{notice['id']}", headers=corp)
    ).json()
    assert "行政复议" in content["content"]["appeal_rights"]


async def test_an_accepted_application_can_be_declined(api, corp, staff):
    application = await decide(api, staff, await submitted_application(api, corp, "TH-001"), "accept")

    declined = await decide(api, staff, application, "decline", comment="不符合通航安全要求")

    assert declined["status"]["label"] == "不予许可"
    assert declined["allowed_actions"] == []


async def test_an_illegal_transition_is_a_409_with_the_reason(api, corp, staff):
    application = await submitted_application(api, corp, "WF-002")

    response = await api.post(
        f"/staff/applications/{application['id']}/decisions", json={"action": "approve"}, headers=staff
    )

    assert response.status_code == 409
    assert response.json()["code"] == "application.invalid_transition"
    assert response.json()["detail"] == "办件当前为“待受理”，不能办结"
    withdraw = await api.post(f"/applications/{application['id']}/withdraw", headers=corp)
    assert withdraw.json()["detail"] == "该事项提交后只能取消，不能撤回"


async def test_a_stale_version_is_a_412(api, corp, staff):
    application = await submitted_application(api, corp, "WF-002")

    response = await api.post(
        f"/staff/applications/{application['id']}/decisions",
        json={"action": "accept"},
        headers={**staff, "If-Match": str(application["version"] - 1)},
    )

    assert response.status_code == 412
    assert response.json()["code"] == "application.version_mismatch"


async def test_staff_see_full_contact_details_and_the_view_is_audited(api, corp, staff, session):
    application = await submitted_application(api, corp, "WF-002")

    seen = (await api.get(f"/staff/applications/{application['id']}", headers=staff)).json()

    assert seen["contact_phone"] == "13800138000"
    assert application["contact_phone"] == "138****8000"
    assert await session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.event == "application.personal_data_view", AuditEvent.object_id == application["id"]
        )
    )
    material = seen["materials"][0]["material"]
    content = await api.get(
        f"/staff/applications/{application['id']}/materials/{material['id']}/content", headers=staff
    )
    assert content.status_code == 200 and content.content.startswith(b"%PDF")


async def test_staff_outside_the_subtree_do_not_see_the_application(api, corp, session):
    tianjin = bearer(await staff_of_another_agency(api, session))
    application = await submitted_application(api, corp, "WF-002")

    assert (await api.get(f"/staff/applications/{application['id']}", headers=tianjin)).status_code == 404
    queue = (await api.get("/staff/applications", headers=tianjin)).json()["items"]
    assert application["id"] not in [a["id"] for a in queue]
    root = await login(api, "demo-staff")
    assert (await api.get(f"/staff/applications/{application['id']}", headers=root)).status_code == 200


async def test_drafts_are_not_in_any_queue(api, corp):
    draft = (
        await api.post("/applications", json={"item_code": "WF-002", "agency_code": "SH"}, headers=corp)
    ).json()
    root = await login(api, "demo-staff")

    assert (await api.get(f"/staff/applications/{draft['id']}", headers=root)).status_code == 404


async def test_applicants_cannot_reach_the_staff_side(api, corp):
    assert (await api.get("/staff/applications", headers=corp)).status_code == 403


async def test_staff_see_the_evaluations_of_their_subtree_and_a_bad_one_needs_a_reason(api, corp, staff):
    application = await decide(api, staff, await submitted_application(api, corp, "WF-002"), "accept")
    await decide(api, staff, application, "approve")

    bad = await api.post(f"/applications/{application['id']}/evaluation", json={"rating": 2}, headers=corp)
    assert bad.status_code == 422 and bad.json()["errors"][0]["msg"] == "差评请填写不满意的原因"
    rated = await api.post(
        f"/applications/{application['id']}/evaluation",
        json={"rating": 2, "comment": "等待时间较长"},
        headers=corp,
    )
    assert rated.json()["is_bad"] is True

    seen = (await api.get("/staff/evaluations", headers=staff)).json()["items"]
    assert [e["comment"] for e in seen if e["application_id"] == application["id"]] == ["等待时间较长"]
    assert (await api.get("/me/evaluations", headers=corp)).json()["items"][0]["rating"]["label"] == "不满意"


async def test_an_unfinished_application_cannot_be_rated(api, corp):
    application = await submitted_application(api, corp, "WF-002")

    response = await api.post(
        f"/applications/{application['id']}/evaluation", json={"rating": 5}, headers=corp
    )

    assert response.status_code == 409
    assert response.json()["code"] == "evaluation.not_finished"


async def test_the_queue_of_a_subtree_is_one_newest_first_list_across_its_agencies(api, session):
    applicant = await session.scalar(select(User).where(User.username == "demo-corp"))
    start = datetime(2026, 3, 1, tzinfo=UTC)
    placed = [("SH", "submitted"), ("SH-YS", "accepted"), ("TJ", "submitted"), ("SH-PD", "submitted")]
    placed += [("SH", "draft"), ("SH-YS", "submitted"), ("SH-PD", "approved"), ("SH", "submitted")]
    rows = [
        Application(
            item_code="WF-002",
            applicant_id=applicant.id,
            agency_code=agency,
            status=status,
            form={},
            created_at=start + timedelta(hours=hour),
        )
        for hour, (agency, status) in enumerate(placed)
    ]
    session.add_all(rows)
    await session.flush()
    shanghai = await login(api, "demo-staff-sh")

    async def pages(**query) -> list[list[str]]:
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **query, **({"cursor": cursor} if cursor else {})}
            page = (await api.get("/staff/applications", params=params, headers=shanghai)).json()
            seen.append([item["id"] for item in page["items"]])
            if not (cursor := page["next_cursor"]):
                return seen

    newest_first = [row.id for row in reversed(rows) if row.agency_code != "TJ" and row.status != "draft"]
    assert await pages() == [newest_first[0:2], newest_first[2:4], newest_first[4:6]]
    submitted = [row.id for row in reversed(rows) if row.agency_code != "TJ" and row.status == "submitted"]
    assert [item for page in await pages(status="submitted") for item in page] == submitted
    assert await pages(status="draft") == [[]]
