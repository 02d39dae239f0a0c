"""证照纠错 and 我的纠错 (manual §3.3.4): the holder asks, staff of the issuing agency decide."""

import pytest

from app.core.db import utcnow
from tests.support.applying import upload_pdf
from tests.support.certificates import COC, PASSPORT, issue_document, new_seafarer, signed_in
from tests.support.people import bearer, password_login


async def _ask(api, seafarer, certificate_id: str, **overrides):
    body = {
        "field": "navigation_area",
        "proposed_value": "沿海航区",
        "reason": "证书航区与考试航区不一致",
        **overrides,
    }
    return await api.post(
        f"/me/certificates/{certificate_id}/corrections", json=body, headers=seafarer.headers
    )


async def _decide(api, staff: dict, correction_id: str, **body):
    return await api.post(f"/staff/corrections/{correction_id}/decisions", json=body, headers=staff)


async def _inbox(api, seafarer) -> list[dict]:
    return (await api.get("/me/messages", headers=seafarer.headers)).json()["items"]


async def test_a_seafarer_corrects_the_navigation_area_and_the_issuing_agency_accepts(api, seafarer):
    coc = await seafarer.certificate(api, COC)

    asked = await _ask(api, seafarer, coc["id"])
    assert asked.status_code == 201, asked.text
    correction = asked.json()
    assert correction["status"] == {"code": "pending", "label": "待处理"}
    assert correction["field"] == {"code": "navigation_area", "label": "航区"}
    assert correction["certificate"]["number"] == coc["number"]

    staff = await signed_in(api, "demo-staff-sh")
    queue = (await api.get("/staff/corrections", params={"status": "pending"}, headers=staff)).json()["items"]
    (queued,) = [item for item in queue if item["id"] == correction["id"]]
    assert queued["current_value"] == "无限航区" and queued["holder_name"] == coc["holder_name"]

    decided = await _decide(api, staff, correction["id"], action="accept", comment="经核实予以更正")

    assert decided.status_code == 200, decided.text
    assert decided.json()["status"]["code"] == "accepted" and decided.json()["old_value"] == "无限航区"
    fields = {f["key"]: f["value"] for f in (await seafarer.certificate(api, COC))["fields"]}
    assert fields["navigation_area"] == "沿海航区"
    (mine,) = (await api.get("/me/corrections", headers=seafarer.headers)).json()["items"]
    assert mine["status"]["label"] == "已更正" and mine["old_value"] == "无限航区"
    assert mine["comment"] == "经核实予以更正" and mine["decided_at"].endswith("+08:00")
    (message,) = await _inbox(api, seafarer)
    assert message["title"] == "证照纠错已更正" and "沿海航区" in message["body"]
    assert (message["subject_type"], message["subject_id"]) == ("certificate_correction", correction["id"])


async def test_a_rejection_needs_a_reason_and_leaves_the_certificate_as_it_was(api, seafarer):
    coc = await seafarer.certificate(api, COC)
    correction = (await _ask(api, seafarer, coc["id"], field="capacity", proposed_value="船长")).json()
    staff = await signed_in(api, "demo-staff-sh")

    without_reason = await _decide(api, staff, correction["id"], action="reject")
    rejected = await _decide(api, staff, correction["id"], action="reject", comment="未取得船长适任资格")

    assert without_reason.status_code == 422
    assert without_reason.json()["errors"][0]["loc"] == ["body", "comment"]
    assert rejected.json()["status"] == {"code": "rejected", "label": "不予更正"}
    assert rejected.json()["old_value"] is None
    assert {f["key"]: f["value"] for f in (await seafarer.certificate(api, COC))["fields"]}[
        "capacity"
    ] == "大副"
    (message,) = await _inbox(api, seafarer)
    assert message["title"] == "证照纠错未予更正" and "未取得船长适任资格" in message["body"]


async def test_a_correction_is_decided_once(api, seafarer):
    correction = (await _ask(api, seafarer, (await seafarer.certificate(api, COC))["id"])).json()
    staff = await signed_in(api, "demo-staff")  # the root agency sees every subtree
    assert (await _decide(api, staff, correction["id"], action="accept")).status_code == 200

    again = await _decide(api, staff, correction["id"], action="reject", comment="重复处理")

    assert again.status_code == 409
    assert again.json()["code"] == "correction.already_decided"


async def test_staff_outside_the_issuing_agencys_subtree_do_not_see_the_correction(api, seafarer):
    passport = await seafarer.certificate(api, PASSPORT)  # issued by the 部海事局 (CN)
    correction = (
        await _ask(api, seafarer, passport["id"], field="birth_place", proposed_value="上海")
    ).json()
    shanghai, root = await signed_in(api, "demo-staff-sh"), await signed_in(api, "demo-staff")

    shanghai_queue = (await api.get("/staff/corrections", headers=shanghai)).json()["items"]
    decided_by_shanghai = await _decide(api, shanghai, correction["id"], action="accept")
    root_queue = (await api.get("/staff/corrections", headers=root)).json()["items"]

    assert correction["id"] not in [item["id"] for item in shanghai_queue]
    assert decided_by_shanghai.status_code == 404
    assert decided_by_shanghai.json()["code"] == "correction.not_found"
    assert correction["id"] in [item["id"] for item in root_queue]


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"field": "holder_name"}, "field", "可纠错的项目为"),
        ({"field": "number"}, "field", "navigation_area（航区）"),
        ({"proposed_value": "远洋航区"}, "proposed_value", "无限航区、沿海航区"),
        ({"proposed_value": "无限航区"}, "proposed_value", "无需纠错"),
    ],
)
async def test_a_correction_names_a_correctable_field_and_a_real_change(
    api, seafarer, overrides, field, fragment
):
    coc = await seafarer.certificate(api, COC)

    response = await _ask(api, seafarer, coc["id"], **overrides)

    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["loc"] == ["body", field] and fragment in error["msg"]


async def test_one_pending_correction_per_field(api, seafarer):
    coc = await seafarer.certificate(api, COC)
    assert (await _ask(api, seafarer, coc["id"])).status_code == 201

    again = await _ask(api, seafarer, coc["id"], proposed_value="沿海航区", reason="再次申请")
    other_field = await _ask(api, seafarer, coc["id"], field="limitations", proposed_value="仅限近洋航线")

    assert again.status_code == 409 and again.json()["code"] == "correction.pending_exists"
    assert other_field.status_code == 201
    mine = (await api.get("/me/corrections", headers=seafarer.headers)).json()["items"]
    assert [item["field"]["code"] for item in mine] == ["limitations", "navigation_area"]  # newest first


async def test_only_seafarer_certificates_can_be_corrected(api, session, seafarer):
    document = await issue_document(session, seafarer.user_id, "TH-2026-000777", utcnow())

    response = await _ask(api, seafarer, document.id, field="item_name", proposed_value="别的事项")

    assert response.status_code == 409
    assert response.json()["code"] == "certificate.not_correctable"


@pytest.mark.parametrize("username", ["demo-officer", "demo-corp", "demo-auditor"])
async def test_only_staff_review_corrections(api, username):
    headers = bearer(await password_login(api, username))

    queue = await api.get("/staff/corrections", headers=headers)
    decision = await _decide(api, headers, "0190a3c4-0000-7000-8000-000000000000", action="accept")

    assert queue.status_code == decision.status_code == 403
    assert queue.json()["code"] == "auth.forbidden"


async def test_the_queue_filters_by_status(api, seafarer):
    coc = await seafarer.certificate(api, COC)
    first = (await _ask(api, seafarer, coc["id"])).json()
    second = (await _ask(api, seafarer, coc["id"], field="limitations", proposed_value="仅限近洋航线")).json()
    staff = await signed_in(api, "demo-staff-sh")
    await _decide(api, staff, first["id"], action="accept")

    pending = (await api.get("/staff/corrections", params={"status": "pending"}, headers=staff)).json()[
        "items"
    ]
    accepted = (await api.get("/staff/corrections", params={"status": "accepted"}, headers=staff)).json()[
        "items"
    ]
    everything = (await api.get("/staff/corrections", headers=staff)).json()["items"]

    assert [item["id"] for item in pending] == [second["id"]]
    assert [item["id"] for item in accepted] == [first["id"]]
    assert [item["id"] for item in everything] == [first["id"], second["id"]]  # first come, first served


async def test_a_correction_can_carry_supporting_materials_the_reviewer_opens(api, seafarer):
    coc = await seafarer.certificate(api, COC)
    proof = await upload_pdf(api, seafarer.headers, "考试成绩单")

    asked = await _ask(api, seafarer, coc["id"], material_ids=[proof])

    assert asked.status_code == 201, asked.text
    assert [m["id"] for m in asked.json()["materials"]] == [proof]
    # Removed from 我的材料, the proof stays with the correction.
    assert (await api.delete(f"/me/materials/{proof}", headers=seafarer.headers)).status_code == 204
    staff = await signed_in(api, "demo-staff-sh")
    content = await api.get(
        f"/staff/corrections/{asked.json()['id']}/materials/{proof}/content", headers=staff
    )
    assert content.status_code == 200 and content.content.startswith(b"%PDF")


async def test_someone_elses_material_cannot_support_my_correction(api, seafarer):
    coc = await seafarer.certificate(api, COC)
    theirs = await upload_pdf(api, (await new_seafarer(api)).headers, "别人的材料")

    response = await _ask(api, seafarer, coc["id"], material_ids=[theirs])

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "material_ids", 0]
