"""What the trail covers (等保 2.0 level 3, 安全审计): sign-ins, decisions, officers' scans,
views of unmasked personal data and downloads of it, refused access to protected routes —
each with actor, object and outcome, as the audit administrator finds them through
GET /audit/events."""

from tests.support.applying import decide, staff_of_another_agency, submitted_application, upload_pdf
from tests.support.audit import trail
from tests.support.certificates import COC, new_seafarer, scan, signed_in
from tests.support.people import bearer, citizen, face_proof, password_login, register_citizen


def seen(items: list[dict]) -> set[tuple]:
    return {
        (item["event"], item["outcome"], item["actor_id"], item["object_type"], item["object_id"])
        for item in items
    }


async def test_a_whole_case_leaves_its_trail(api, reader):
    # A seafarer registers and applies.
    seafarer = await new_seafarer(api)
    application = await submitted_application(api, seafarer.headers, "TH-001")
    app_id = application["id"]
    # Staff open it (full contact details), accept it and hand out its material and notice.
    staff_tokens = await password_login(api, "demo-staff-sh")
    staff, staff_id = bearer(staff_tokens), staff_tokens["user"]["id"]
    assert (await api.get(f"/staff/applications/{app_id}", headers=staff)).status_code == 200
    accepted = await decide(api, staff, application, "accept", comment="材料齐全")
    material_id = accepted["materials"][0]["material"]["id"]
    notice_id = accepted["notices"][-1]["id"]
    material = await api.get(f"/staff/applications/{app_id}/materials/{material_id}/content", headers=staff)
    assert material.status_code == 200
    pdf = {"Accept": "application/pdf"}
    staff_copy = await api.get(f"/staff/applications/{app_id}/notices/{notice_id}", headers=staff | pdf)
    assert staff_copy.headers["content-type"] == "application/pdf"
    # The seafarer downloads the notice; an officer scans the seafarer's certificate.
    own_copy = await api.get(f"/applications/{app_id}/notices/{notice_id}", headers=seafarer.headers | pdf)
    assert own_copy.status_code == 200
    coc = await seafarer.certificate(api, COC)
    officer_tokens = await password_login(api, "demo-officer")
    officer, officer_id = bearer(officer_tokens), officer_tokens["user"]["id"]
    assert (await scan(api, officer, (await seafarer.show(api, coc["id"]))["token"])).status_code == 200
    assert (await scan(api, officer, "not-a-token")).status_code == 422

    events = seen(await trail(api, reader))

    user = seafarer.user_id
    assert {
        ("auth.register", "success", user, "user", user),
        ("auth.login_second_factor", "success", staff_id, "user", staff_id),
        ("application.personal_data_view", "success", staff_id, "application", app_id),
        ("application.decision", "success", staff_id, "application", app_id),
        ("application.material_download", "success", staff_id, "application", app_id),
        ("application.notice_download", "success", staff_id, "application", app_id),
        ("application.notice_download", "success", user, "application", app_id),
        ("certificate.scan", "success", officer_id, "certificate", coc["id"]),
        ("certificate.scan", "refused", officer_id, None, None),
    } <= events
    (decision,) = await trail(api, reader, event="application.decision", object_id=app_id)
    assert decision["detail"] == {"action": "accept", "from_status": "submitted", "to_status": "accepted"}
    downloads = await trail(api, reader, event="application.notice_download", object_id=app_id)
    assert [d["detail"] for d in downloads] == [
        {"notice_id": notice_id, "kind": "acceptance", "format": "pdf"}
    ] * 2


async def test_every_staff_decision_is_recorded_with_its_action(api, corp, staff, reader):
    first, second, third = [await submitted_application(api, corp, "WF-002") for _ in range(3)]
    await decide(api, staff, first, "accept", comment="受理")
    await decide(api, staff, first, "approve", comment="准予")
    await decide(api, staff, second, "reject", comment="不属于本机关职权范围")
    await decide(
        api,
        staff,
        third,
        "request_supplement",
        comment="材料不全",
        supplement_items=[{"target": "material", "key": "report_materials", "reason": "缺少检测报告"}],
    )

    decisions = await trail(api, reader, event="application.decision")

    actions = {(d["object_id"], d["detail"]["action"]) for d in decisions}
    assert {
        (first["id"], "accept"),
        (first["id"], "approve"),
        (second["id"], "reject"),
        (third["id"], "request_supplement"),
    } <= actions


async def test_a_correction_decision_and_its_material_download_are_recorded(api, reader):
    seafarer = await new_seafarer(api)
    coc = await seafarer.certificate(api, COC)
    proof = await upload_pdf(api, seafarer.headers, "考试成绩单")
    asked = await api.post(
        f"/me/certificates/{coc['id']}/corrections",
        json={
            "field": "navigation_area",
            "proposed_value": "沿海航区",
            "reason": "航区有误",
            "material_ids": [proof],
        },
        headers=seafarer.headers,
    )
    correction_id = asked.json()["id"]
    staff = await signed_in(api, "demo-staff-sh")
    await api.get(f"/staff/corrections/{correction_id}/materials/{proof}/content", headers=staff)
    await api.post(
        f"/staff/corrections/{correction_id}/decisions",
        json={"action": "reject", "comment": "无误"},
        headers=staff,
    )

    events = await trail(api, reader, object_type="certificate_correction", object_id=correction_id)

    assert [(e["event"], e["outcome"]) for e in events] == [
        ("certificate.correction_decision", "rejected"),
        ("certificate.correction_material_download", "success"),
    ]


async def test_every_sign_in_route_records_its_successes_and_failures(api, reader):
    person, tokens = await register_citizen(api)
    user = tokens["user"]["id"]
    corp = (await password_login(api, "demo-corp"))["user"]["id"]
    await api.post("/auth/login/password", json={"username": "demo-corp", "password": "Wrong#2026"})
    await api.post("/auth/login/personal", json=await face_proof(api, person, "login"))
    await api.post(
        "/auth/login/personal", json=await face_proof(api, person, "login", verify_result="fake:fail")
    )
    await api.post("/auth/login/personal", json=await face_proof(api, citizen(), "login"))
    ticket = (await api.post("/auth/wechat/session", json={"code": "audited"})).json()["binding_ticket"]
    await api.post(
        "/auth/login/personal", json={**await face_proof(api, person, "login"), "binding_ticket": ticket}
    )
    assert (await api.post("/auth/wechat/session", json={"code": "audited"})).json()["bound"] is True
    assert (await api.post("/auth/wechat/session", json={"code": "invalid"})).status_code == 401

    events = {(e["event"], e["outcome"], e["actor_id"]) for e in await trail(api, reader, event="auth.")}

    assert {
        ("auth.register", "success", user),
        ("auth.login_password", "success", corp),
        ("auth.login_password", "failure", corp),
        ("auth.login_face", "success", user),
        ("auth.face_verification", "failed", None),
        ("auth.login_face", "no_account", None),
        ("auth.login_wechat", "success", user),
        ("auth.login_wechat", "failure", None),
    } <= events


async def test_a_citizen_calling_an_administrators_route_is_recorded(api, reader):
    person, tokens = await register_citizen(api)

    refused = await api.get("/admin/system/status", headers=bearer(tokens))

    assert refused.status_code == 403
    (event,) = await trail(api, reader, event="access.refused", actor_id=tokens["user"]["id"])
    assert event["outcome"] == "forbidden"
    assert event["detail"] == {"method": "GET", "route": "/admin/system/status", "code": "auth.forbidden"}


async def test_staff_of_another_agency_opening_an_application_are_recorded(api, session, corp, reader):
    tianjin = await staff_of_another_agency(api, session)
    application = await submitted_application(api, corp, "WF-002")

    response = await api.get(f"/staff/applications/{application['id']}", headers=bearer(tianjin))

    assert response.status_code == 404
    (event,) = await trail(api, reader, event="access.refused", actor_id=tianjin["user"]["id"])
    assert event["outcome"] == "not_found"
    # The route's template, never the path: no number of the application or anything else.
    assert event["detail"]["route"] == "/staff/applications/{application_id}"
    assert application["id"] not in str(event)


async def test_another_users_application_and_a_missing_token_are_recorded(api, reader):
    owner, other = await new_seafarer(api), await new_seafarer(api)
    application = await submitted_application(api, owner.headers, "TH-001")

    assert (await api.get(f"/applications/{application['id']}", headers=other.headers)).status_code == 404
    assert (await api.get(f"/applications/{application['id']}")).status_code == 401
    assert (await api.get("/me", headers={"Authorization": "Bearer forged"})).status_code == 401

    events = await trail(api, reader, event="access.refused")
    assert {(e["outcome"], e["actor_id"], e["detail"]["route"], e["detail"]["code"]) for e in events} >= {
        ("not_found", other.user_id, "/applications/{application_id}", "application.not_found"),
        ("unauthenticated", None, "/applications/{application_id}", "auth.not_authenticated"),
        ("unauthenticated", None, "/me", "auth.token_invalid"),
    }


async def test_public_not_found_answers_are_not_security_events(api, reader):
    assert (await api.get("/catalog/items/NO-SUCH-ITEM")).status_code == 404
    assert (await api.get("/agencies/NOPE")).status_code == 404
    assert (await api.get("/no/such/route")).status_code == 404

    assert await trail(api, reader, event="access.refused") == []


async def test_a_refusal_that_records_itself_is_recorded_once(api, staff, reader):
    assert (await api.get("/audit/events", headers=staff)).status_code == 403

    events = await trail(api, reader, outcome="forbidden")
    assert [e["event"] for e in events] == ["audit.query"]


async def test_staff_views_of_corrections_and_evaluations_are_recorded(api, reader):
    seafarer = await new_seafarer(api)
    coc = await seafarer.certificate(api, COC)
    asked = await api.post(
        f"/me/certificates/{coc['id']}/corrections",
        json={"field": "navigation_area", "proposed_value": "沿海航区", "reason": "航区有误", "material_ids": []},
        headers=seafarer.headers,
    )
    assert asked.status_code == 201, asked.text
    staff_tokens = await password_login(api, "demo-staff-sh")
    staff, staff_id = bearer(staff_tokens), staff_tokens["user"]["id"]

    queue = await api.get("/staff/corrections", headers=staff)
    evaluations = await api.get("/staff/evaluations", headers=staff)

    assert queue.status_code == evaluations.status_code == 200
    (viewed,) = await trail(api, reader, event="certificate.correction_queue_view", actor_id=staff_id)
    assert viewed["detail"] == {"correction_ids": [item["id"] for item in queue.json()["items"]]}
    assert asked.json()["id"] in viewed["detail"]["correction_ids"]
    (seen,) = await trail(api, reader, event="evaluation.staff_view", actor_id=staff_id)
    assert seen["detail"] == {"evaluation_ids": [item["id"] for item in evaluations.json()["items"]]}
