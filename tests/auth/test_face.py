"""刷脸: face sessions are single-use, short-lived and bound to one person and purpose."""

from datetime import timedelta
from hashlib import md5

import httpx
import pytest
import respx
from sqlalchemy import select, update

from app.auth.face import forget_expired_persons
from app.auth.models import FaceSession
from app.core.db import create_engine, create_sessionmaker, utcnow
from app.integrations.face.wechat import WeChatFaceVerifier
from app.integrations.wechat.client import WeChatApiClient
from app.main import create_app
from app.privacy.models import Consent
from tests.support.database import settings_for_tests
from tests.support.faults import eventually
from tests.support.people import FACE_CONSENT, bearer, citizen, face_proof, register_citizen
from tests.support.wechat import WECHAT, MemoryTokenCache


async def test_a_registered_citizen_logs_in_by_face(api):
    person, registered = await register_citizen(api)
    proof = await face_proof(api, person, "login")

    response = await api.post("/auth/login/personal", json=proof)

    assert response.status_code == 200
    assert response.json()["user"]["id"] == registered["user"]["id"]


@pytest.mark.parametrize(("method", "check_alive_type"), [("read_digits", 0), ("reflective", 2)])
async def test_the_face_method_sets_the_check_alive_type(api, method, check_alive_type):
    person = citizen()
    response = await api.post(
        "/auth/face/sessions",
        json={
            "purpose": "login",
            "name": person["name"],
            "id_number": person["id_number"],
            "method": method,
            "consent": FACE_CONSENT,
        },
    )

    assert response.json()["check_alive_type"] == check_alive_type
    assert response.json()["expires_at"].endswith("+08:00")


async def test_a_failed_face_check_is_rejected(api):
    person, _ = await register_citizen(api)
    proof = await face_proof(api, person, "login", verify_result="fake:fail")

    response = await api.post("/auth/login/personal", json=proof)

    assert response.status_code == 401
    assert response.json()["code"] == "auth.face_mismatch"


async def test_a_verify_result_the_verifier_does_not_know_is_rejected(api):
    person, _ = await register_citizen(api)
    proof = await face_proof(api, person, "login", verify_result="forged")

    response = await api.post("/auth/login/personal", json=proof)

    assert response.status_code == 401
    assert response.json()["code"] == "auth.face_session_invalid"


async def test_a_face_session_works_once(api):
    person, _ = await register_citizen(api)
    proof = await face_proof(api, person, "login")
    assert (await api.post("/auth/login/personal", json=proof)).status_code == 200

    replay = await api.post("/auth/login/personal", json=proof)

    assert replay.status_code == 401
    assert replay.json()["code"] == "auth.face_session_invalid"


async def test_a_failed_attempt_also_spends_the_face_session(api):
    person, _ = await register_citizen(api)
    proof = await face_proof(api, person, "login", verify_result="fake:fail")
    await api.post("/auth/login/personal", json=proof)

    retry = await api.post("/auth/login/personal", json={**proof, "verify_result": "fake:pass"})

    assert retry.json()["code"] == "auth.face_session_invalid"


async def test_an_expired_face_session_is_rejected(api, session):
    person, _ = await register_citizen(api)
    proof = await face_proof(api, person, "login")
    await session.execute(
        update(FaceSession)
        .where(FaceSession.id == proof["face_session_id"])
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )

    response = await api.post("/auth/login/personal", json=proof)

    assert response.json()["code"] == "auth.face_session_invalid"


async def test_a_face_session_never_used_forgets_the_person_once_expired_and_keeps_its_consent(api, session):
    person = citizen()
    waiting, expired = await face_proof(api, person, "login"), await face_proof(api, person, "login")
    await session.execute(
        update(FaceSession)
        .where(FaceSession.id == expired["face_session_id"])
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )

    assert await forget_expired_persons(session) == 1

    rows = {
        row.id: (row.name, row.id_number_encrypted)
        for row in await session.scalars(
            select(FaceSession).where(
                FaceSession.id.in_([waiting["face_session_id"], expired["face_session_id"]])
            )
        )
    }
    assert rows[expired["face_session_id"]] == ("", b"")
    assert rows[waiting["face_session_id"]][0] == person["name"]  # still within its five minutes
    consents = await session.scalars(
        select(Consent.face_session_id).where(Consent.face_session_id.isnot(None))
    )
    assert expired["face_session_id"] in set(consents)
    assert await forget_expired_persons(session) == 0


async def test_every_worker_erases_expired_face_sessions_in_the_background(
    database_kind, prepared_database, tmp_path
):
    settings = settings_for_tests(prepared_database(database_kind), tmp_path)
    engine = create_engine(settings)
    left_unused = FaceSession(
        purpose="login",
        method="reflective",
        name="王海明",
        id_number_encrypted=b"sealed",
        expires_at=utcnow() - timedelta(minutes=1),
    )
    async with create_sessionmaker(engine).begin() as writer:
        writer.add(left_unused)

    async def erased() -> bool:
        async with create_sessionmaker(engine)() as reader:
            return (await reader.get(FaceSession, left_unused.id)).name == ""

    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            await eventually(erased, within=30, what="the worker erased the expired face session")
    finally:
        await engine.dispose()


async def test_a_face_session_opened_for_another_purpose_is_rejected(api):
    person, _ = await register_citizen(api)
    proof = await face_proof(api, person, "reset_password")

    response = await api.post("/auth/login/personal", json=proof)

    assert response.json()["code"] == "auth.face_session_invalid"


async def test_another_persons_face_cannot_change_my_password(api):
    _, mine = await register_citizen(api)
    someone_else, _ = await register_citizen(api)
    proof = await face_proof(api, someone_else, "change_password")

    response = await api.put(
        "/me/password", json={**proof, "new_password": "Another#Pass9"}, headers=bearer(mine)
    )

    assert response.status_code == 401
    assert response.json()["code"] == "auth.face_mismatch"


async def test_a_person_without_an_account_is_told_to_register(api):
    proof = await face_proof(api, citizen(), "login")

    response = await api.post("/auth/login/personal", json=proof)

    assert response.status_code == 404
    assert response.json()["code"] == "account.not_found"


@respx.mock(base_url=WECHAT, assert_all_called=False)
async def test_with_real_wechat_face_verification_a_verify_result_never_works_twice(respx_mock, app, api):
    person, _ = await register_citizen(api)
    respx_mock.post("/cgi-bin/stable_token").respond(json={"access_token": "TOKEN", "expires_in": 7200})
    respx_mock.post("/cityservice/face/identify/getinfo").respond(
        json={
            "errcode": 0,
            "errmsg": "ok",
            "identify_ret": 0,
            "id_card_number_md5": md5(person["id_number"].upper().encode()).hexdigest(),
            "name_utf8_md5": md5(person["name"].encode()).hexdigest(),
        }
    )
    adapters = app.state.adapters
    http = httpx.AsyncClient(base_url=WECHAT)
    wechat = WeChatApiClient(http, app_id="wx-test", app_secret="secret", token_cache=MemoryTokenCache())
    adapters.face = WeChatFaceVerifier(wechat)

    first = await face_proof(api, person, "login", verify_result="wx-verify-result-1")
    assert (await api.post("/auth/login/personal", json=first)).status_code == 200
    second = await face_proof(api, person, "login", verify_result="wx-verify-result-1")
    replay = await api.post("/auth/login/personal", json=second)

    assert replay.status_code == 401
    assert replay.json()["code"] == "auth.face_session_invalid"
    await http.aclose()

