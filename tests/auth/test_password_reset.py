"""忘记密码 of 法人/船舶 accounts (issue 13 defect 10): the registered operator (经办人) verifies
their face, as personal users reset by their own face."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.support.people import (
    STRONG_PASSWORD,
    citizen,
    corporate_registration,
    face_proof,
    password_login,
    register_citizen,
)

NEW_PASSWORD = "Fresh#Start9"


async def _reset(api, proof: dict, username: str | None):
    body = {**proof, "new_password": NEW_PASSWORD} | ({"username": username} if username else {})
    return await api.post("/auth/password/reset", json=body)


async def _login(api, username: str, password: str):
    return await api.post("/auth/login/password", json={"username": username, "password": password})


@pytest.mark.parametrize("kind", ["company", "ship"])
async def test_a_company_that_forgot_its_password_resets_it_by_the_operators_face(api, kind):
    operator = citizen()
    registration = corporate_registration(
        kind=kind, operator_name=operator["name"], operator_id_number=operator["id_number"]
    )
    assert (await api.post("/auth/register/corporate", json=registration)).status_code == 201
    proof = await face_proof(api, operator, "reset_password")

    reset = await _reset(api, proof, registration["username"].upper())

    assert reset.status_code == 204, reset.text
    assert (await _login(api, registration["username"], STRONG_PASSWORD)).status_code == 401
    signed_in = await password_login(api, registration["username"], NEW_PASSWORD)
    assert signed_in["user"]["corporate"]["kind"]["code"] == kind


async def test_someone_elses_face_and_an_unknown_username_get_the_same_answer(api, session):
    stranger, _ = await register_citizen(api)
    operator = {"name": "王海明", "id_number": "310115198503122018"}  # demo-corp's 经办人

    wrong_face = await _reset(api, await face_proof(api, stranger, "reset_password"), "demo-corp")
    unknown = await _reset(api, await face_proof(api, operator, "reset_password"), "nobody-here")
    officer = await _reset(api, await face_proof(api, operator, "reset_password"), "demo-officer")

    assert wrong_face.status_code == unknown.status_code == officer.status_code == 401
    strip = lambda response: {k: v for k, v in response.json().items() if k != "request_id"}  # noqa: E731
    assert strip(wrong_face) == strip(unknown) == strip(officer)
    assert wrong_face.json()["code"] == "auth.operator_mismatch"
    assert (await _login(api, "demo-corp", "Demo@12345")).status_code == 200
    refusals = await session.scalars(
        select(AuditEvent.outcome).where(AuditEvent.event == "auth.password_reset")
    )
    assert list(refusals).count("not_matched") == 3


async def test_the_operators_face_with_another_name_on_the_profile_is_refused(api):
    operator = citizen()
    registration = corporate_registration(
        operator_name="李四海", operator_id_number=operator["id_number"], kind="company"
    )
    assert (await api.post("/auth/register/corporate", json=registration)).status_code == 201
    same_number_other_name = {**operator, "name": "张三江"}
    proof = await face_proof(api, same_number_other_name, "reset_password")

    reset = await _reset(api, proof, registration["username"])

    assert reset.status_code == 401 and reset.json()["code"] == "auth.operator_mismatch"


async def test_a_corporate_reset_is_audited_and_signs_every_device_out(api, session):
    signed_in = await password_login(api, "demo-corp")
    operator = {"name": "王海明", "id_number": "310115198503122018"}

    reset = await _reset(api, await face_proof(api, operator, "reset_password"), "demo-corp")

    assert reset.status_code == 204
    me = await api.get("/me", headers={"Authorization": f"Bearer {signed_in['access_token']}"})
    assert me.status_code == 401
    outcomes = await session.scalars(
        select(AuditEvent.outcome).where(AuditEvent.event == "auth.password_reset")
    )
    assert "success" in list(outcomes)
