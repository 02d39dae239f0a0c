"""单独同意 (PIPL art. 29): face verification and identity documents only after an explicit consent."""

from sqlalchemy import func, select

from app.auth.models import FaceSession
from app.materials.models import Material
from app.privacy.models import Consent
from tests.support import files
from tests.support.people import (
    FACE_CONSENT,
    IDENTITY_DOCUMENTS_CONSENT,
    bearer,
    citizen,
    face_proof,
    register_citizen,
)


async def _count(session, model) -> int:
    return await session.scalar(select(func.count()).select_from(model))


def _face_request(person: dict, **extra) -> dict:
    return {
        "purpose": "register",
        "name": person["name"],
        "id_number": person["id_number"],
        "method": "reflective",
        **extra,
    }


async def _upload_identity_document(api, headers: dict):
    return await api.post(
        "/me/materials",
        params={"kind": "identity_document"},
        files={"file": ("身份证.pdf", files.pdf(), "application/pdf")},
        headers=headers,
    )


async def _identity_consents(api, headers: dict) -> list[dict]:
    mine = (await api.get("/me/consents", headers=headers)).json()
    return [c for c in mine if c["purpose"]["code"] == "identity_documents"]


async def test_the_consent_texts_are_served_with_their_versions(api):
    response = await api.get("/privacy/consent-texts")

    assert response.status_code == 200
    texts = {t["purpose"]["code"]: t for t in response.json()}
    assert texts.keys() == {"face_verification", "identity_documents"}
    assert texts["face_verification"]["version"] == FACE_CONSENT["version"]
    assert "人脸" in texts["face_verification"]["text"] and texts["identity_documents"]["title"]


async def test_face_verification_does_not_start_without_consent_and_nothing_is_stored(api, session):
    sessions_before, consents_before = await _count(session, FaceSession), await _count(session, Consent)

    response = await api.post("/auth/face/sessions", json=_face_request(citizen()))

    assert response.status_code == 403
    assert response.json()["code"] == "consent.required"
    assert "人脸识别个人信息处理规则" in response.json()["detail"]
    assert await _count(session, FaceSession) == sessions_before
    assert await _count(session, Consent) == consents_before


async def test_a_consent_to_an_outdated_text_or_another_purpose_does_not_count(api):
    outdated = await api.post(
        "/auth/face/sessions", json=_face_request(citizen(), consent={**FACE_CONSENT, "version": "2000-01"})
    )
    other = await api.post(
        "/auth/face/sessions", json=_face_request(citizen(), consent=IDENTITY_DOCUMENTS_CONSENT)
    )

    assert outdated.status_code == 403 and "已更新" in outdated.json()["detail"]
    assert other.status_code == 403 and other.json()["code"] == "consent.required"


async def test_the_face_consent_is_recorded_with_the_face_session(api, session):
    proof = await face_proof(api, citizen(), "register")

    consent = await session.scalar(select(Consent).where(Consent.face_session_id == proof["face_session_id"]))
    assert consent.purpose == "face_verification"
    assert consent.policy_version == FACE_CONSENT["version"]
    assert consent.ip and consent.given_at


async def test_the_face_consent_joins_the_account_it_registered(api):
    _, tokens = await register_citizen(api)

    (consent,) = (await api.get("/me/consents", headers=bearer(tokens))).json()

    assert consent["purpose"]["code"] == "face_verification" and consent["in_force"] is True


async def test_identity_documents_are_refused_until_the_user_consents(api, session):
    _, tokens = await register_citizen(api)
    headers = bearer(tokens)
    materials_before = await _count(session, Material)

    refused = await _upload_identity_document(api, headers)

    assert refused.status_code == 403
    assert refused.json()["code"] == "consent.required"
    assert "身份证明材料个人信息处理规则" in refused.json()["detail"]
    assert await _count(session, Material) == materials_before

    given = await api.post("/me/consents", json=IDENTITY_DOCUMENTS_CONSENT, headers=headers)
    assert given.status_code == 201
    assert given.json()["in_force"] is True

    accepted = await _upload_identity_document(api, headers)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["kind"] == "identity_document"


async def test_ordinary_materials_need_no_consent(api):
    _, tokens = await register_citizen(api)

    response = await api.post(
        "/me/materials", files={"file": ("报告.pdf", files.pdf(), "application/pdf")}, headers=bearer(tokens)
    )

    assert response.status_code == 201
    assert response.json()["kind"] == "general"


async def test_giving_the_same_consent_twice_keeps_one_record(api):
    _, tokens = await register_citizen(api)
    headers = bearer(tokens)

    first = await api.post("/me/consents", json=IDENTITY_DOCUMENTS_CONSENT, headers=headers)
    second = await api.post("/me/consents", json=IDENTITY_DOCUMENTS_CONSENT, headers=headers)

    assert first.json()["id"] == second.json()["id"]
    assert len(await _identity_consents(api, headers)) == 1


async def test_withdrawing_stops_future_uploads_but_keeps_past_ones_and_the_record(api):
    _, tokens = await register_citizen(api)
    headers = bearer(tokens)
    await api.post("/me/consents", json=IDENTITY_DOCUMENTS_CONSENT, headers=headers)
    earlier = (await _upload_identity_document(api, headers)).json()

    withdrawn = await api.delete("/me/consents/identity_documents", headers=headers)

    assert withdrawn.status_code == 204
    assert (await _upload_identity_document(api, headers)).json()["code"] == "consent.required"
    assert (await api.get(f"/me/materials/{earlier['id']}/content", headers=headers)).status_code == 200
    (record,) = await _identity_consents(api, headers)
    assert record["withdrawn_at"] is not None and record["in_force"] is False


async def test_withdrawing_a_consent_never_given_is_not_found(api):
    _, tokens = await register_citizen(api)

    response = await api.delete("/me/consents/identity_documents", headers=bearer(tokens))

    assert response.status_code == 404
    assert response.json()["code"] == "consent.not_found"


async def test_the_identity_document_slot_is_marked_in_the_online_items(api):
    items = (await api.get("/online-items")).json()

    marked = [(i["name"], s["slot"]) for i in items for s in i["material_slots"] if s["identity_document"]]

    assert marked == [("通航水域岸线安全使用", "power_of_attorney")]
