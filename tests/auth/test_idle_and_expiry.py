"""等保 level 3: privileged sessions end after 15 idle minutes; privileged passwords expire after
90 days and must be changed before signing in. Time passes by moving the stored timestamps back."""

from datetime import timedelta

from sqlalchemy import select, update

from app.accounts.models import User
from app.auth.models import AuthSession
from app.core.db import utcnow
from tests.support.people import bearer, password_login, second_factor_login

NEW_PASSWORD = "Harbour#2027"


async def _idle_for(session, tokens: dict, minutes: float) -> None:
    """As if the session's last request was ``minutes`` ago."""
    me = await session.scalar(select(User.id).where(User.username == tokens["user"]["username"]))
    await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == me)
        .values(last_seen_at=utcnow() - timedelta(minutes=minutes))
    )


async def test_a_privileged_session_idle_for_fifteen_minutes_is_refused(api, session):
    tokens = await password_login(api, "demo-staff-sh")
    await _idle_for(session, tokens, 16)

    response = await api.get("/me", headers=bearer(tokens))

    assert response.status_code == 401
    assert response.json()["code"] == "auth.session_idle"
    refreshed = await api.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401, "an idle session cannot be revived by refreshing"
    revoked = await session.scalar(select(AuthSession.revoked_reason).order_by(AuthSession.created_at.desc()))
    assert revoked == "idle"


async def test_a_request_within_fifteen_minutes_keeps_the_session_alive(api, session):
    tokens = await password_login(api, "demo-officer")
    await _idle_for(session, tokens, 14)

    assert (await api.get("/me", headers=bearer(tokens))).status_code == 200
    last_seen = await session.scalar(select(AuthSession.last_seen_at).order_by(AuthSession.created_at.desc()))
    assert utcnow() - last_seen < timedelta(seconds=30)


async def test_activity_is_written_at_most_once_a_minute(api, session):
    tokens = await password_login(api, "demo-officer")
    await _idle_for(session, tokens, 0.5)
    before = await session.scalar(select(AuthSession.last_seen_at).order_by(AuthSession.created_at.desc()))

    await api.get("/me", headers=bearer(tokens))

    session.expire_all()
    after = await session.scalar(select(AuthSession.last_seen_at).order_by(AuthSession.created_at.desc()))
    assert after == before


async def test_the_idle_timeout_is_a_setting(app, api, session):
    app.state.settings = app.state.settings.model_copy(update={"session_idle_timeout": timedelta(minutes=5)})
    tokens = await password_login(api, "demo-auditor")
    await _idle_for(session, tokens, 6)

    assert (await api.get("/me", headers=bearer(tokens))).json()["code"] == "auth.session_idle"


async def test_personal_and_corporate_sessions_have_no_idle_timeout(api, session):
    tokens = await password_login(api, "demo-corp")
    await _idle_for(session, tokens, 60)

    assert (await api.get("/me", headers=bearer(tokens))).status_code == 200


async def _password_ninety_days_old(session, username: str) -> None:
    await session.execute(
        update(User)
        .where(User.username == username)
        .values(password_changed_at=utcnow() - timedelta(days=91))
    )


async def test_an_expired_password_is_refused_with_a_ticket_to_set_a_new_one(api, session):
    await _password_ninety_days_old(session, "demo-officer")

    refused = await api.post(
        "/auth/login/password", json={"username": "demo-officer", "password": "Demo@12345"}
    )

    assert refused.status_code == 403
    body = refused.json()
    assert body["code"] == "auth.password_expired"
    assert "access_token" not in body and body["ticket"]
    changed = await api.post(
        "/auth/password/expired", json={"ticket": body["ticket"], "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 200
    tokens = await second_factor_login(api, changed.json()["ticket"])
    assert tokens["user"]["username"] == "demo-officer"
    # The new password is the one that works now, and it is fresh.
    assert (await password_login(api, "demo-officer", NEW_PASSWORD))["access_token"]
    wrong = await api.post(
        "/auth/login/password", json={"username": "demo-officer", "password": "Demo@12345"}
    )
    assert wrong.status_code == 401


async def test_the_new_password_must_differ_and_follow_the_policy(api, session):
    await _password_ninety_days_old(session, "demo-staff")
    ticket = (
        await api.post("/auth/login/password", json={"username": "demo-staff", "password": "Demo@12345"})
    ).json()["ticket"]

    same = await api.post("/auth/password/expired", json={"ticket": ticket, "new_password": "Demo@12345"})
    weak = await api.post("/auth/password/expired", json={"ticket": ticket, "new_password": "abcdefgh"})

    assert same.status_code == weak.status_code == 422
    assert same.json()["errors"][0]["type"] == "password_reused"
    assert weak.json()["errors"][0]["type"] == "password_policy"


async def test_a_change_ticket_works_once_and_is_no_second_factor_ticket(api, session):
    await _password_ninety_days_old(session, "demo-staff")
    ticket = (
        await api.post("/auth/login/password", json={"username": "demo-staff", "password": "Demo@12345"})
    ).json()["ticket"]

    as_second_factor = await api.post("/auth/login/second-factor", json={"ticket": ticket, "code": "123456"})
    assert as_second_factor.json()["code"] == "auth.ticket_invalid"
    assert (
        await api.post("/auth/password/expired", json={"ticket": ticket, "new_password": NEW_PASSWORD})
    ).status_code == 200
    again = await api.post("/auth/password/expired", json={"ticket": ticket, "new_password": "Harbour#2028"})
    assert again.json()["code"] == "auth.ticket_invalid"


async def test_a_wrong_password_on_an_expired_account_is_just_wrong(api, session):
    await _password_ninety_days_old(session, "demo-officer")

    response = await api.post(
        "/auth/login/password", json={"username": "demo-officer", "password": "Wrong@123"}
    )

    assert response.json()["code"] == "auth.invalid_credentials"


async def test_corporate_passwords_do_not_expire(api, session):
    await _password_ninety_days_old(session, "demo-corp")

    assert (await password_login(api, "demo-corp"))["access_token"]
