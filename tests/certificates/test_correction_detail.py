"""纠错待办 in the workbench opens one correction by its address: what the queue shows of it,
its supporting materials, and after the decision the outcome; staff elsewhere never see it."""

from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.support.applying import upload_pdf
from tests.support.certificates import COC, PASSPORT, signed_in


async def _ask(api, seafarer, certificate_id: str, **body) -> dict:
    response = await api.post(
        f"/me/certificates/{certificate_id}/corrections",
        json={"field": "navigation_area", "proposed_value": "沿海航区", "reason": "证书航区与考试航区不一致", **body},
        headers=seafarer.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_staff_open_one_correction_with_its_evidence_and_then_its_outcome(api, seafarer, session):
    coc = await seafarer.certificate(api, COC)
    proof = await upload_pdf(api, seafarer.headers, "考试成绩单")
    correction = await _ask(api, seafarer, coc["id"], material_ids=[proof])
    staff = await signed_in(api, "demo-staff-sh")

    opened = await api.get(f"/staff/corrections/{correction['id']}", headers=staff)

    assert opened.status_code == 200, opened.text
    shown = opened.json()
    assert shown["certificate"]["number"] == coc["number"]
    assert (shown["field"]["label"], shown["current_value"], shown["proposed_value"]) == ("航区", "无限航区", "沿海航区")
    assert shown["reason"] == "证书航区与考试航区不一致" and [m["id"] for m in shown["materials"]] == [proof]
    assert shown["status"]["code"] == "pending" and shown["agency"]["code"]
    assert await session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.event == "certificate.correction_view", AuditEvent.object_id == correction["id"]
        )
    )

    decided = await api.post(
        f"/staff/corrections/{correction['id']}/decisions",
        json={"action": "reject", "comment": "考试航区以海事局考试记录为准"},
        headers=staff,
    )
    assert decided.status_code == 200, decided.text
    again = (await api.get(f"/staff/corrections/{correction['id']}", headers=staff)).json()
    assert again["status"]["label"] == "不予更正" and again["comment"] == "考试航区以海事局考试记录为准"


async def test_a_correction_outside_the_staff_subtree_does_not_exist_for_them(api, seafarer):
    passport = await seafarer.certificate(api, PASSPORT)  # issued by the 部海事局 (CN)
    correction = await _ask(api, seafarer, passport["id"], field="birth_place", proposed_value="上海")

    shanghai = await api.get(f"/staff/corrections/{correction['id']}", headers=await signed_in(api, "demo-staff-sh"))
    root = await api.get(f"/staff/corrections/{correction['id']}", headers=await signed_in(api, "demo-staff"))

    assert shanghai.status_code == 404 and shanghai.json()["code"] == "correction.not_found"
    assert root.status_code == 200
