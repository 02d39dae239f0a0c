"""用户信息 (manual §3.3.3): masked profile, 修改密码 and 修改手机号码 through face verification."""

from app.accounts.models import User
from app.core.security import verify_password
from tests.support.people import (
    STRONG_PASSWORD,
    bearer,
    citizen,
    face_proof,
    password_login,
    register_citizen,
)


async def test_the_profile_shows_personal_data_masked(api):
    person, tokens = await register_citizen(api, {**citizen(), "name": "欧阳海明"})

    me = (await api.get("/me", headers=bearer(tokens))).json()

    assert me["display_name"] == "欧**明"
    assert me["personal"]["name"] == "欧**明"
    assert person["id_number"] not in str(me) and person["phone"] not in str(me)


async def test_a_citizen_changes_the_phone_after_face_verification(api):
    person, tokens = await register_citizen(api)
    proof = await face_proof(api, person, "change_phone")

    response = await api.put("/me/phone", json={**proof, "new_phone": "13712345678"}, headers=bearer(tokens))

    assert response.status_code == 200
    assert response.json()["phone"] == "137****5678"


async def test_a_forgotten_password_is_reset_by_face(api, session):
    person, tokens = await register_citizen(api)
    proof = await face_proof(api, person, "reset_password")

    reset = await api.post("/auth/password/reset", json={**proof, "new_password": "Fresh#Start9"})

    assert reset.status_code == 204
    # Personal accounts sign in by face, not by password (only 法人/船舶 and staff accounts have a
    # username), so the password is checked the way the server checks one: the new one now
    # opens the account, the old one no longer does.
    user = await session.get(User, tokens["user"]["id"], populate_existing=True)
    assert await verify_password("Fresh#Start9", user.password_hash)
    assert not await verify_password(STRONG_PASSWORD, user.password_hash)


async def test_a_corporate_account_changes_its_password_with_the_operators_face(api):
    tokens = await password_login(api, "demo-corp")
    operator = {"name": "王海明", "id_number": "310115198503122018"}
    proof = await face_proof(api, operator, "change_password")

    changed = await api.put(
        "/me/password", json={**proof, "new_password": STRONG_PASSWORD}, headers=bearer(tokens)
    )

    assert changed.status_code == 204
    assert (
        await api.post("/auth/login/password", json={"username": "demo-corp", "password": "Demo@12345"})
    ).status_code == 401
    assert (await password_login(api, "demo-corp", STRONG_PASSWORD))["user"]["username"] == "demo-corp"


async def test_the_new_phone_must_be_a_mainland_mobile(api):
    person, tokens = await register_citizen(api)
    proof = await face_proof(api, person, "change_phone")

    response = await api.put("/me/phone", json={**proof, "new_phone": "12345"}, headers=bearer(tokens))

    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "请输入11位中国大陆手机号码"
