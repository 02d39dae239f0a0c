"""我的办件 and 我要评 act from the list: each entry says what may be done with it (the same rule as
its detail), its version for If-Match, and whether it was already rated."""

from app.applications.state_machine import Actor, Status, allowed_actions
from tests.support.applying import decide, filled_draft, submitted_application


async def _approved(api, corp: dict, staff: dict) -> dict:
    accepted = await decide(api, staff, await submitted_application(api, corp, "TH-001"), "accept")
    return await decide(api, staff, accepted, "approve")


async def test_each_entry_of_my_applications_carries_the_actions_of_its_detail(api, corp, staff):
    draft = await api.post("/applications", json=await filled_draft(api, corp, "WF-001"), headers=corp)
    withdrawable = await submitted_application(api, corp, "WF-001")
    approved = await _approved(api, corp, staff)

    page = (await api.get("/me/applications", params={"limit": 100}, headers=corp)).json()
    listed = {a["id"]: a for a in page["items"]}

    for application in (draft.json(), withdrawable, approved):
        detail = (await api.get(f"/applications/{application['id']}", headers=corp)).json()
        entry = listed[application["id"]]
        for field in ("version", "allowed_actions", "after_submit"):
            assert entry[field] == detail[field], field
    assert set(listed[draft.json()["id"]]["allowed_actions"]) == {"edit", "submit", "discard"}
    assert listed[withdrawable["id"]]["allowed_actions"] == ["withdraw"]
    assert listed[withdrawable["id"]]["after_submit"] == "withdraw"
    assert listed[approved["id"]]["evaluated"] is False
    assert {"view_notice", "evaluate"} <= set(listed[approved["id"]]["allowed_actions"])


async def test_a_rated_application_says_so_and_offers_no_second_rating(api, corp, staff):
    rejected = await decide(
        api, staff, await submitted_application(api, corp, "WF-002"), "reject", comment="材料不全"
    )
    rated = await api.post(f"/applications/{rejected['id']}/evaluation", json={"rating": 4}, headers=corp)
    assert rated.status_code == 201, rated.text

    page = (await api.get("/me/applications", headers=corp)).json()
    entry = next(a for a in page["items"] if a["id"] == rejected["id"])

    assert entry["evaluated"] is True
    assert "evaluate" not in entry["allowed_actions"]
    detail = (await api.get(f"/applications/{rejected['id']}", headers=corp)).json()
    assert detail["evaluated"] is True and detail["allowed_actions"] == entry["allowed_actions"]


async def test_what_i_may_rate_lists_approved_rejected_and_declined_applications(api, corp, staff):
    approved = await _approved(api, corp, staff)
    rejected = await decide(
        api, staff, await submitted_application(api, corp, "TH-002"), "reject", comment="不属于本机构"
    )
    accepted = await decide(api, staff, await submitted_application(api, corp, "TH-001"), "accept")
    declined = await decide(api, staff, accepted, "decline", comment="不符合条件")
    waiting = await submitted_application(api, corp, "WF-002")

    async def listed(finished: str) -> dict:
        params = {"finished": finished, "limit": 100}
        return (await api.get("/me/applications", params=params, headers=corp)).json()

    finished, others = await listed("true"), await listed("false")

    finished_ids = {a["id"] for a in finished["items"]}
    assert {approved["id"], rejected["id"], declined["id"]} <= finished_ids
    assert waiting["id"] not in finished_ids
    assert {a["status"]["code"] for a in finished["items"]} <= {"approved", "rejected", "declined"}
    assert waiting["id"] in {a["id"] for a in others["items"]}
    assert not finished_ids & {a["id"] for a in others["items"]}


async def test_the_staff_queue_lists_the_staff_decisions(api, corp, staff):
    submitted = await submitted_application(api, corp, "TH-001")

    queue = (await api.get("/staff/applications", params={"limit": 100}, headers=staff)).json()["items"]

    entry = next(a for a in queue if a["id"] == submitted["id"])
    assert set(entry["allowed_actions"]) == {"accept", "reject", "request_supplement"}


def test_the_applicant_may_rate_a_finished_application_once_and_discard_only_a_new_draft():
    rule = {"after_submit": "cancel", "has_notices": False}
    applicant, staff = Actor.applicant, Actor.staff
    assert "evaluate" in allowed_actions(Status.rejected, applicant, numbered=True, evaluated=False, **rule)
    assert allowed_actions(Status.rejected, applicant, numbered=True, evaluated=True, **rule) == []
    assert "discard" not in allowed_actions(Status.draft, applicant, numbered=True, evaluated=False, **rule)
    assert "discard" in allowed_actions(Status.draft, applicant, numbered=False, evaluated=False, **rule)
    assert allowed_actions(Status.submitted, staff, numbered=True, evaluated=False, **rule) == [
        "accept",
        "reject",
        "request_supplement",
    ]
