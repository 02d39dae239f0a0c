"""注销账号: the person is erased, the authority's records stay without them, and they may come back."""

from sqlalchemy import select, text

from app.accounts.service import PERSONAL_ID, PHONE
from app.audit.models import AuditEvent
from tests.support import files
from tests.support.applying import decide, login, online_item, submitted_application
from tests.support.people import (
    bearer,
    citizen,
    face_proof,
    register_citizen,
    register_company,
)


async def _delete(api, headers: dict, person: dict, verify_result: str = "fake:pass"):
    proof = await face_proof(api, person, "account_deletion", verify_result)
    return await api.post("/me/deletion", json=proof, headers=headers)


async def _upload(api, headers: dict, name: str) -> dict:
    response = await api.post(
        "/me/materials", files={"file": (f"{name}.pdf", files.pdf(), "application/pdf")}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _rows(session, sql: str, **params) -> list:
    return list((await session.execute(text(sql), params)).all())


def _stored_files(settings) -> set[str]:
    root = settings.files_dir
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def test_a_citizen_deletes_their_account_and_nothing_identifying_is_left(api, app, session, settings):
    binding = (await api.post("/auth/wechat/session", json={"code": "deleteme1"})).json()["binding_ticket"]
    person, tokens = await register_citizen(api, binding_ticket=binding)
    headers, uid = bearer(tokens), tokens["user"]["id"]
    app.state.settings = app.state.settings.model_copy(update={"wechat_status_template_id": "tpl-status"})
    granted = {"template_id": "tpl-status", "accepted": 2}
    granting = await api.post("/me/notifications/subscription", json=granted, headers=headers)
    assert granting.status_code == 200
    material = await _upload(api, headers, "船员服务簿")
    slot = (await online_item(api, "WF-002"))["material_slots"][0]["slot"]
    draft = await api.post(
        "/applications",
        json={"item_code": "WF-002", "materials": [{"slot": slot, "material_id": material["id"]}]},
        headers=headers,
    )
    assert draft.status_code == 201, draft.text
    files_before = _stored_files(settings)
    assert any(material_key.startswith(f"materials/{uid}/") for material_key in files_before)

    response = await _delete(api, headers, person)

    assert response.status_code == 204
    (user,) = await _rows(
        session,
        "SELECT display_name, username, password_hash, phone_encrypted, phone_index, wechat_openid,"
        " deleted_at FROM users WHERE id = :id",
        id=uid,
    )
    assert user.display_name == "已注销用户" and user.deleted_at is not None
    erased = (user.username, user.password_hash, user.phone_encrypted, user.phone_index, user.wechat_openid)
    assert erased == (None,) * 5
    assert await _rows(session, "SELECT 1 FROM personal_profiles WHERE user_id = :id", id=uid) == []
    assert await _rows(session, "SELECT 1 FROM materials WHERE owner_id = :id", id=uid) == []
    assert await _rows(session, "SELECT 1 FROM applications WHERE applicant_id = :id", id=uid) == []
    assert await _rows(session, "SELECT 1 FROM messages WHERE recipient_id = :id", id=uid) == []
    assert await _rows(session, "SELECT 1 FROM subscription_grants WHERE user_id = :id", id=uid) == []
    assert not any(key.startswith(f"materials/{uid}/") for key in _stored_files(settings))
    pii = app.state.pii
    phone_index = pii.blind_index(person["phone"], purpose=PHONE)
    id_index = pii.blind_index(person["id_number"], purpose=PERSONAL_ID)
    assert await _rows(session, "SELECT 1 FROM users WHERE phone_index = :i", i=phone_index) == []
    assert (
        await _rows(session, "SELECT 1 FROM personal_profiles WHERE id_number_index = :i", i=id_index) == []
    )
    for table, column in (("users", "display_name"), ("face_sessions", "name")):
        assert (
            await _rows(session, f"SELECT 1 FROM {table} WHERE {column} = :name", name=person["name"]) == []
        )


async def test_after_deletion_every_token_is_revoked_and_the_person_can_register_again(api):
    binding = (await api.post("/auth/wechat/session", json={"code": "deleteme2"})).json()["binding_ticket"]
    person, tokens = await register_citizen(api, binding_ticket=binding)
    assert (await _delete(api, bearer(tokens), person)).status_code == 204

    me = await api.get("/me", headers=bearer(tokens))
    refreshed = await api.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    login_by_face = await api.post("/auth/login/personal", json=await face_proof(api, person, "login"))
    by_wechat = (await api.post("/auth/wechat/session", json={"code": "deleteme2"})).json()

    assert me.status_code == 401 and refreshed.status_code == 401
    assert login_by_face.status_code == 404 and login_by_face.json()["code"] == "account.not_found"
    assert by_wechat["bound"] is False
    _, again = await register_citizen(api, person, binding_ticket=by_wechat["binding_ticket"])
    assert again["user"]["id"] != tokens["user"]["id"]


async def test_a_company_keeps_its_decided_applications_but_they_no_longer_name_anyone(
    api, session, settings
):
    registration, tokens = await register_company(api)
    headers, uid = bearer(tokens), tokens["user"]["id"]
    operator = {"name": registration["operator_name"], "id_number": registration["operator_id_number"]}
    application = await submitted_application(api, headers, "WF-002")
    staff = await login(api, "demo-staff-sh")
    await decide(api, staff, await decide(api, staff, application, "accept"), "approve")
    unused = await _upload(api, headers, "未使用的材料")

    response = await _delete(api, headers, operator)

    assert response.status_code == 204
    (kept,) = await _rows(
        session, "SELECT applicant_id, status FROM applications WHERE id = :id", id=application["id"]
    )
    assert kept == (uid, "approved")
    assert await _rows(session, "SELECT 1 FROM notices WHERE application_id = :id", id=application["id"])
    assert await _rows(
        session, "SELECT 1 FROM application_events WHERE application_id = :id", id=application["id"]
    )
    assert await _rows(session, "SELECT 1 FROM certificates WHERE application_id = :id", id=application["id"])
    used = await _rows(session, "SELECT deleted_at FROM materials WHERE owner_id = :id", id=uid)
    assert used and all(row.deleted_at is not None for row in used)
    assert await _rows(session, "SELECT 1 FROM materials WHERE id = :id", id=unused["id"]) == []
    assert await _rows(session, "SELECT 1 FROM corporate_profiles WHERE user_id = :id", id=uid) == []
    assert await _rows(session, "SELECT 1 FROM ships WHERE owner_id = :id", id=uid) == []
    (user,) = await _rows(session, "SELECT username, display_name FROM users WHERE id = :id", id=uid)
    assert user == (None, "已注销用户")
    # The staff still see the application they decided; the applicant's account names no one.
    assert (await api.get(f"/staff/applications/{application['id']}", headers=staff)).status_code == 200
    again = await api.post("/auth/register/corporate", json=registration)
    assert again.status_code == 201, again.text


async def test_deletion_is_refused_while_an_application_is_being_handled(api, session):
    registration, tokens = await register_company(api)
    headers = bearer(tokens)
    operator = {"name": registration["operator_name"], "id_number": registration["operator_id_number"]}
    await submitted_application(api, headers, "WF-002")

    response = await _delete(api, headers, operator)

    assert response.status_code == 409
    assert response.json()["code"] == "account.applications_in_progress"
    assert "1 件办件" in response.json()["detail"]
    assert (await api.get("/me", headers=headers)).status_code == 200


async def test_the_face_must_be_the_account_holders(api):
    _, tokens = await register_citizen(api)

    response = await _delete(api, bearer(tokens), citizen())

    assert response.status_code == 401
    assert response.json()["code"] == "auth.face_mismatch"
    assert (await api.get("/me", headers=bearer(tokens))).status_code == 200


async def test_a_face_session_of_another_purpose_does_not_delete(api):
    person, tokens = await register_citizen(api)
    proof = await face_proof(api, person, "change_password")

    response = await api.post("/me/deletion", json=proof, headers=bearer(tokens))

    assert response.status_code == 401
    assert response.json()["code"] == "auth.face_session_invalid"


async def test_staff_accounts_are_not_deleted_by_themselves(api):
    response = await _delete(api, await login(api, "demo-staff-sh"), citizen())

    assert response.status_code == 403
    assert response.json()["code"] == "account.deletion_not_allowed"


async def test_the_deletion_is_audited_and_the_audit_trail_is_kept(api, session):
    person, tokens = await register_citizen(api)
    uid = tokens["user"]["id"]

    await _delete(api, bearer(tokens), person)

    events = {e.event: e for e in await session.scalars(select(AuditEvent).where(AuditEvent.actor_id == uid))}
    assert {"auth.register", "account.deletion"} <= events.keys()
    assert events["account.deletion"].detail == {"role": "personal"}
