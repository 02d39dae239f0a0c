"""个人注册 and 法人注册 (manual §3.2.1)."""

import pytest
from sqlalchemy import text

from tests.support.people import (
    FACE_CONSENT,
    STRONG_PASSWORD,
    bearer,
    citizen,
    corporate_registration,
    credit_code,
    face_proof,
    register_citizen,
)


async def test_a_citizen_registers_with_face_verification_and_is_signed_in(api):
    person, tokens = await register_citizen(api)

    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 900
    user = tokens["user"]
    assert user["role"] == {"code": "personal", "label": "个人用户"}
    assert user["personal"]["name"] == person["name"][0] + "*" + person["name"][-1]
    assert user["personal"]["id_number"] == person["id_number"][0] + "*" * 16 + person["id_number"][-1]
    assert user["phone"] == person["phone"][:3] + "****" + person["phone"][-4:]
    me = await api.get("/me", headers=bearer(tokens))
    assert me.status_code == 200 and me.json()["id"] == user["id"]


async def test_one_id_number_is_one_personal_account(api):
    person, _ = await register_citizen(api)
    proof = await face_proof(api, person, "register")

    again = await api.post("/auth/register/personal", json={**person, "password": STRONG_PASSWORD, **proof})

    assert again.status_code == 409
    assert again.json()["code"] == "account.exists"


async def test_registration_must_be_for_the_face_verified_person(api):
    verified, other = citizen(), citizen()
    proof = await face_proof(api, verified, "register")

    response = await api.post("/auth/register/personal", json={**other, "password": STRONG_PASSWORD, **proof})

    assert response.status_code == 401
    assert response.json()["code"] == "auth.face_mismatch"


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("310115199003194109", "身份证号码校验位不正确"),
        ("310115199013194100", "身份证号码中的出生日期无效"),
        ("31011519900319410", "身份证号码应为18位，最后一位可以是数字或X"),
    ],
)
async def test_an_invalid_id_number_is_refused_with_the_reason(api, id_number, message):
    response = await api.post(
        "/auth/face/sessions",
        json={
            "purpose": "register",
            "name": "张三",
            "id_number": id_number,
            "method": "read_digits",
            "consent": FACE_CONSENT,
        },
    )

    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["loc"] == ["body", "id_number"]
    assert error["msg"] == message


async def test_a_lower_case_x_in_the_id_number_is_accepted_as_upper_case(api):
    person = citizen()
    while not person["id_number"].endswith("X"):
        person = citizen()

    _, tokens = await register_citizen(api, {**person, "id_number": person["id_number"].lower()})

    assert tokens["user"]["personal"]["id_number"].endswith("X")


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("short1A!", None), ("alllowercase", "至少三类"), ("Harbour#13900001111", "手机号码")],
)
async def test_weak_passwords_are_refused(api, password, fragment):
    person = {**citizen(), "phone": "13900001111"}
    proof = await face_proof(api, person, "register")

    response = await api.post("/auth/register/personal", json={**person, "password": password, **proof})

    if fragment is None:  # 8 characters of 4 classes is fine
        assert response.status_code == 201
        return
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "password"]
    assert fragment in response.json()["errors"][0]["msg"]


async def test_a_ship_operator_registers_a_corporate_account_and_logs_in_with_its_password(api):
    registration = corporate_registration()

    response = await api.post("/auth/register/corporate", json=registration)

    assert response.status_code == 201
    corporate = response.json()["user"]["corporate"]
    assert corporate["kind"] == {"code": "ship", "label": "船舶用户"}
    assert corporate["operator_id_number"].count("*") == 16
    login = await api.post(
        "/auth/login/password", json={"username": registration["username"], "password": STRONG_PASSWORD}
    )
    assert login.status_code == 200


async def test_one_credit_code_is_one_corporate_account(api):
    first = corporate_registration()
    assert (await api.post("/auth/register/corporate", json=first)).status_code == 201

    response = await api.post(
        "/auth/register/corporate", json=corporate_registration(credit_code=first["credit_code"])
    )

    assert response.status_code == 409
    assert response.json()["code"] == "account.exists"


async def test_a_taken_username_is_refused(api):
    response = await api.post("/auth/register/corporate", json=corporate_registration(username="demo-corp"))

    assert response.status_code == 409


async def test_a_credit_code_with_a_wrong_check_character_is_refused(api):
    code = credit_code()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")

    response = await api.post("/auth/register/corporate", json=corporate_registration(credit_code=wrong))

    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "loc": ["body", "credit_code"],
        "msg": "统一社会信用代码校验位不正确",
        "type": "credit_code.check_character",
    }


async def test_a_password_containing_the_username_is_refused(api):
    response = await api.post(
        "/auth/register/corporate",
        json=corporate_registration(username="harbourline", password="Harbourline#1"),
    )

    assert response.status_code == 422
    assert "用户名" in response.json()["errors"][0]["msg"]


async def test_mass_assignment_of_a_role_is_refused(api):
    response = await api.post("/auth/register/corporate", json=corporate_registration(role="sysadmin"))

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "role"]


async def test_the_database_holds_no_plaintext_id_number_phone_or_password(api, session):
    person, _ = await register_citizen(api)
    registration = corporate_registration()
    await api.post("/auth/register/corporate", json=registration)

    dump = []
    for table in ("users", "personal_profiles", "corporate_profiles", "face_sessions", "audit_events"):
        rows = (await session.execute(text(f"SELECT * FROM {table}"))).all()
        dump.extend(repr(value) for row in rows for value in row)
    everything = " ".join(dump)
    for secret in (
        person["id_number"],
        person["phone"],
        registration["operator_id_number"],
        registration["contact_phone"],
        STRONG_PASSWORD,
    ):
        assert secret not in everything
