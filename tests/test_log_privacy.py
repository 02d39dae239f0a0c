"""The log of a whole flow carries no ID number, phone, password or token."""

import io
import logging

from app.core.logging import HANDLER_NAME
from tests.support.applying import submitted_application
from tests.support.people import STRONG_PASSWORD, bearer, face_proof, register_citizen


async def test_a_full_flow_leaves_no_personal_data_or_secrets_in_the_log(api, caplog):
    caplog.set_level(logging.DEBUG)
    handler = next(h for h in logging.getLogger().handlers if h.name == HANDLER_NAME)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        person, tokens = await register_citizen(api)
        proof = await face_proof(api, person, "login")
        again = (await api.post("/auth/login/personal", json=proof)).json()
        await api.post("/auth/token/refresh", json={"refresh_token": again["refresh_token"]})
        await api.post("/auth/login/password", json={"username": "demo-corp", "password": "Wrong#Pass1"})
        corp = (
            await api.post("/auth/login/password", json={"username": "demo-corp", "password": "Demo@12345"})
        ).json()
        application = await submitted_application(api, bearer(corp), "WF-002")
        await api.post(
            "/public/progress", json={"application_no": application["number"], "phone": "13800138000"}
        )
        await api.get("/me", headers=bearer(tokens))
    finally:
        handler.setStream(previous)

    log = buffer.getvalue()
    assert log.count('"logger": "app.access"') >= 10
    secrets = [
        person["id_number"],
        person["phone"],
        "13800138000",
        "310115198503122018",
        STRONG_PASSWORD,
        "Demo@12345",
        "Wrong#Pass1",
        tokens["access_token"],
        tokens["refresh_token"],
        corp["access_token"],
        again["refresh_token"],
    ]
    for secret in secrets:
        assert secret not in log
