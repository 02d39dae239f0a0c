"""The authority's back office decides through this service: a machine client (系统对接) of an
agency lists and reads the applications of its subtree and records decisions on them, as staff
do at the workbench. The applicant cannot tell the difference; the audit trail can."""

import pytest
from sqlalchemy import select

from app.applications.models import ApplicationEvent
from app.audit.models import AuditEvent
from app.core.auth import Scope
from tests.support.applying import decision_content, submitted_application
from tests.support.clients import registered_client
from tests.support.statements import statements_sent

BACK_OFFICE = "/backoffice/applications"
EVERYTHING = (Scope.applications_read, Scope.applications_decide)


@pytest.fixture
async def back_office(session, settings):
    """上海海事局's back office: reads and decides the applications of SH's subtree."""
    return await _client(session, settings, EVERYTHING, "SH")


async def _client(session, settings, scopes, agency_code: str = "SH") -> tuple[str, dict]:
    client, headers = await registered_client(session, settings, scopes=scopes, agency_code=agency_code)
    await session.commit()  # registered, as by an administrator: a refused request does not undo it
    return client.user_id, headers


async def _decide(api, headers: dict, application: dict, action: str, **extra):
    body = {"action": action, **decision_content(application["item"]["code"], action), **extra}
    return await api.post(
        f"{BACK_OFFICE}/{application['id']}/decisions",
        json=body,
        headers=headers | {"If-Match": f'"{application["version"]}"'},
    )


async def test_the_back_office_accepts_and_approves_with_a_licence_and_the_applicant_sees_a_decision(
    api, corp, back_office, session
):
    client_id, headers = back_office
    submitted = await submitted_application(api, corp, "TH-001")

    read = (await api.get(f"{BACK_OFFICE}/{submitted['id']}", headers=headers)).json()
    assert "accept" in read["allowed_actions"]
    assert read["applicant"]["credit_code"]  # the company, unmasked: the back office registers the licence
    accepted = await _decide(api, headers, read, "accept", comment="材料齐全")
    assert accepted.status_code == 200, accepted.text
    assert accepted.headers["ETag"] == f'"{accepted.json()["version"]}"'
    approved = await _decide(api, headers, accepted.json(), "approve", comment="同意")

    assert approved.status_code == 200, approved.text
    assert approved.json()["status"]["code"] == "approved"
    mine = (await api.get(f"/applications/{submitted['id']}", headers=corp)).json()
    decision = mine["notices"][-1]
    assert decision["kind"]["label"] == "准予行政许可决定书"
    messages = (await api.get("/me/messages", headers=corp)).json()["items"]
    assert "收到准予行政许可决定书" in [m["title"] for m in messages]
    wallet = (await api.get("/me/certificates", params={"limit": 100}, headers=corp)).json()["items"]
    assert decision["number"] in [card["number"] for card in wallet]
    # The applicant's timeline names the agency that decided, never a machine.
    assert [entry["actor"] for entry in mine["timeline"]] == ["申请人", "上海海事局", "上海海事局"]
    # The timeline and the audit trail name the client.
    events = (
        await session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == submitted["id"], ApplicationEvent.action != "submit")
            .order_by(ApplicationEvent.occurred_at)
        )
    ).all()
    assert [(e.action, e.actor_id, e.actor_role) for e in events] == [
        ("accept", client_id, "integration"),
        ("approve", client_id, "integration"),
    ]
    audited = (
        await session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_id == submitted["id"], AuditEvent.actor_id == client_id
            )
        )
    ).all()
    assert sorted(e.event for e in audited) == [
        "application.decision",
        "application.decision",
        *["application.personal_data_view"] * 3,  # the read, and the detail each decision answers with
    ]


async def test_a_supplement_request_from_the_back_office_lists_each_item_for_the_applicant(
    api, corp, back_office
):
    _, headers = back_office
    submitted = await submitted_application(api, corp, "TH-002")
    items = [{"target": "material", "key": "safety_assessment_report", "reason": "请提交评审后的定稿"}]

    asked = await _decide(
        api, headers, submitted, "request_supplement", comment="材料不全", supplement_items=items
    )

    assert asked.status_code == 200, asked.text
    mine = (await api.get(f"/applications/{submitted['id']}", headers=corp)).json()
    assert mine["status"]["code"] == "supplement_required"
    assert mine["supplement_request"]["items"][0]["reason"] == "请提交评审后的定稿"
    notice = await api.get(
        f"/applications/{submitted['id']}/notices/{mine['notices'][-1]['id']}", headers=corp
    )
    assert notice.json()["content"]["supplement_items"][0]["label"] == "已通过评审的通航安全评估报告"


async def test_a_supplement_request_without_a_reason_is_refused_as_at_the_workbench(api, corp, back_office):
    _, headers = back_office
    submitted = await submitted_application(api, corp, "TH-002")

    refused = await _decide(api, headers, submitted, "request_supplement")

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["msg"] == "要求补正时请填写理由"


async def test_a_decision_on_a_version_since_changed_is_refused(api, corp, back_office, staff):
    _, headers = back_office
    submitted = await submitted_application(api, corp, "TH-001")
    await api.post(
        f"/staff/applications/{submitted['id']}/decisions", json={"action": "accept"}, headers=staff
    )

    stale = await _decide(api, headers, submitted, "reject", comment="不属于本机关职权范围")

    assert stale.status_code == 412
    assert stale.json()["code"] == "application.version_mismatch"
    mine = (await api.get(f"/applications/{submitted['id']}", headers=corp)).json()
    assert mine["status"]["code"] == "accepted"


async def test_a_client_that_may_only_read_is_refused_a_decision(api, corp, session, settings):
    _, reader = await _client(session, settings, [Scope.applications_read])
    submitted = await submitted_application(api, corp, "TH-001")

    assert (await api.get(f"{BACK_OFFICE}/{submitted['id']}", headers=reader)).status_code == 200
    refused = await _decide(api, reader, submitted, "accept")
    preview = await api.post(
        f"{BACK_OFFICE}/{submitted['id']}/decisions/preview", json={"action": "accept"}, headers=reader
    )

    assert refused.status_code == 403 and preview.status_code == 403
    assert refused.json()["code"] == "auth.insufficient_scope"
    mine = (await api.get(f"/applications/{submitted['id']}", headers=corp)).json()
    assert mine["status"]["code"] == "submitted"


async def test_another_agencys_back_office_sees_nothing_of_shanghais_applications(
    api, corp, session, settings
):
    _, guangdong = await _client(session, settings, EVERYTHING, "GD")
    submitted = await submitted_application(api, corp, "TH-001")

    listed = await api.get(BACK_OFFICE, params={"number": submitted["number"]}, headers=guangdong)
    read = await api.get(f"{BACK_OFFICE}/{submitted['id']}", headers=guangdong)
    decided = await _decide(api, guangdong, submitted, "accept")

    assert listed.status_code == 200 and listed.json()["items"] == []
    assert read.status_code == 404 and decided.status_code == 404
    assert read.json()["code"] == "application.not_found"


async def test_a_person_at_the_workbench_cannot_use_the_back_office_routes(api, staff):
    assert (await api.get(BACK_OFFICE, headers=staff)).status_code == 403


async def test_polling_with_updated_since_returns_only_what_changed_least_recent_first(
    api, corp, back_office
):
    _, headers = back_office
    untouched = await submitted_application(api, corp, "WF-002")
    first = await submitted_application(api, corp, "TH-001")
    second = await submitted_application(api, corp, "TH-001")
    changed_first = (await _decide(api, headers, first, "accept")).json()
    changed_second = (await _decide(api, headers, second, "accept")).json()

    since = changed_first["updated_at"]
    page = (await api.get(BACK_OFFICE, params={"updated_since": since, "limit": 1}, headers=headers)).json()
    rest = (
        await api.get(
            BACK_OFFICE,
            params={"updated_since": since, "limit": 1, "cursor": page["next_cursor"]},
            headers=headers,
        )
    ).json()
    everything = (await api.get(BACK_OFFICE, params={"limit": 100}, headers=headers)).json()["items"]

    assert [a["id"] for a in page["items"] + rest["items"]] == [changed_first["id"], changed_second["id"]]
    assert rest["next_cursor"] is None
    assert untouched["id"] in [a["id"] for a in everything]
    # The staff queue's filters narrow it too.
    accepted_only = await api.get(
        BACK_OFFICE, params={"updated_since": since, "status": "submitted"}, headers=headers
    )
    assert accepted_only.json()["items"] == []


async def test_updated_since_needs_a_time_with_its_zone(api, back_office):
    _, headers = back_office

    response = await api.get(BACK_OFFICE, params={"updated_since": "2026-12-07T08:00:00"}, headers=headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "updated_since"]


async def test_the_back_office_downloads_a_material_and_the_issued_notice_with_each_copy_audited(
    api, corp, back_office, session
):
    client_id, headers = back_office
    submitted = await submitted_application(api, corp, "TH-001")
    accepted = (await _decide(api, headers, submitted, "accept")).json()
    material = accepted["materials"][0]["material"]

    content = await api.get(
        f"{BACK_OFFICE}/{submitted['id']}/materials/{material['id']}/content", headers=headers
    )
    notice = await api.get(
        f"{BACK_OFFICE}/{submitted['id']}/notices/{accepted['notices'][-1]['id']}",
        headers=headers | {"Accept": "application/pdf"},
    )

    assert content.status_code == 200 and content.content.startswith(b"%PDF")
    assert notice.status_code == 200 and notice.headers["content-type"] == "application/pdf"
    audited = await session.scalars(
        select(AuditEvent.event).where(
            AuditEvent.object_id == submitted["id"], AuditEvent.actor_id == client_id
        )
    )
    assert {"application.material_download", "application.notice_download"} <= set(audited)


async def test_the_back_office_list_costs_the_same_statements_however_many_rows(
    api, corp, back_office, engine, staff
):
    _, headers = back_office

    async def statements(params: dict) -> int:
        with statements_sent(engine) as seen:
            response = await api.get(BACK_OFFICE, params={"limit": 100, **params}, headers=headers)
        assert response.status_code == 200, response.text
        return len(seen)

    first = await submitted_application(api, corp, "TH-001")
    changes = {"updated_since": first["updated_at"]}
    await statements({})  # the worker learns the agency tree once (kept per dataset version)
    with_one, changed_with_one = await statements({}), await statements(changes)
    for _ in range(4):
        await submitted_application(api, corp, "TH-001")
    with_five, changed_with_five = await statements({}), await statements(changes)

    assert with_one > 0
    assert (with_five, changed_with_five) == (with_one, changed_with_one)
