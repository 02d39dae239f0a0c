"""等保 level 3: officers, staff and administrators sign in with a password and a second factor
(TOTP, RFC 6238); personal and corporate users sign in as before."""

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from app.accounts.service import create_operator_account
from app.audit.models import AuditEvent
from app.auth.models import RecoveryCode, SecondFactor, SignInTicket
from app.core.auth import Role
from app.core.db import utcnow
from tests.support import qr
from tests.support.people import (
    STRONG_PASSWORD,
    bearer,
    enrol_second_factor,
    password_login,
    second_factor_login,
    totp_code,
)

PRIVILEGED = ["demo-officer", "demo-staff-sh", "demo-sysadmin", "demo-secadmin", "demo-auditor"]


async def _password_step(api, username, password="Demo@12345"):
    response = await api.post("/auth/login/password", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


async def _second_factor(api, ticket, code):
    return await api.post("/auth/login/second-factor", json={"ticket": ticket, "code": code})


@pytest.fixture
async def new_reviewer(session):
    """A staff account an operator has just created: no second factor yet."""
    user = await create_operator_account(
        session, role=Role.staff, username="zhao.liu", name="赵六", password=STRONG_PASSWORD, agency_code="SH"
    )
    await session.flush()
    return user


@pytest.mark.parametrize("username", PRIVILEGED)
async def test_a_right_password_of_a_privileged_account_gives_no_tokens_only_a_second_factor_step(
    api, username
):
    step = await _password_step(api, username)

    assert step["second_factor_required"] is True
    assert step["enrolled"] is True
    assert "access_token" not in step
    assert step["expires_at"].endswith("+08:00")


async def test_the_code_of_the_authenticator_completes_the_sign_in(api):
    step = await _password_step(api, "demo-officer")

    response = await _second_factor(api, step["ticket"], totp_code())

    assert response.status_code == 200
    tokens = response.json()
    assert tokens["user"]["username"] == "demo-officer"
    assert (await api.get("/me", headers=bearer(tokens))).status_code == 200


async def test_personal_and_corporate_users_still_sign_in_with_the_password_alone(api):
    response = await api.post(
        "/auth/login/password", json={"username": "demo-corp", "password": "Demo@12345"}
    )

    assert response.status_code == 200
    assert response.json()["access_token"]
    assert "second_factor_required" not in response.json()


async def test_a_ticket_works_once_and_only_for_five_minutes(api, session):
    step = await _password_step(api, "demo-officer")
    assert (await _second_factor(api, step["ticket"], totp_code())).status_code == 200

    again = await _second_factor(api, step["ticket"], totp_code(steps_ahead=1))
    assert again.status_code == 401
    assert again.json()["code"] == "auth.ticket_invalid"

    late = await _password_step(api, "demo-officer")
    await session.execute(update(SignInTicket).values(expires_at=utcnow() - timedelta(seconds=1)))
    expired = await _second_factor(api, late["ticket"], totp_code(steps_ahead=1))
    assert expired.json()["code"] == "auth.ticket_invalid"


async def test_a_code_is_refused_the_second_time_within_its_time_step(api, session):
    first = await _password_step(api, "demo-staff-sh")
    code = totp_code()
    assert (await _second_factor(api, first["ticket"], code)).status_code == 200
    second = await _password_step(api, "demo-staff-sh")

    replayed = await _second_factor(api, second["ticket"], code)

    assert replayed.status_code == 401
    assert replayed.json()["code"] == "auth.second_factor_replayed"
    outcomes = set(
        await session.scalars(select(AuditEvent.outcome).where(AuditEvent.event == "auth.second_factor"))
    )
    assert "replayed" in outcomes


async def test_wrong_codes_count_with_wrong_passwords_towards_the_lockout(api, session):
    for attempt in range(2):
        wrong = await api.post(
            "/auth/login/password", json={"username": "demo-auditor", "password": f"Wrong@{attempt}"}
        )
        assert wrong.status_code == 401
    step = await _password_step(api, "demo-auditor")
    assert (await _second_factor(api, step["ticket"], "000000")).json()[
        "code"
    ] == "auth.second_factor_invalid"
    assert (await _second_factor(api, step["ticket"], "111111")).status_code == 401

    fifth = await _second_factor(api, step["ticket"], "222222")

    assert fifth.status_code == 423
    assert fifth.json()["code"] == "auth.locked"
    # Locked: not even the right code or a new password step gets through.
    assert (await _second_factor(api, step["ticket"], totp_code())).json()["code"] == "auth.locked"
    relogin = await api.post(
        "/auth/login/password", json={"username": "demo-auditor", "password": "Demo@12345"}
    )
    assert relogin.json()["code"] == "auth.locked"


async def test_a_right_password_does_not_clear_the_count_of_wrong_codes(api, session):
    for _ in range(4):
        step = await _password_step(api, "demo-officer")
        assert (await _second_factor(api, step["ticket"], "000000")).status_code == 401
    step = await _password_step(api, "demo-officer")

    assert (await _second_factor(api, step["ticket"], "000000")).status_code == 423


async def test_a_success_clears_the_count_of_wrong_codes(api):
    step = await _password_step(api, "demo-officer")
    await _second_factor(api, step["ticket"], "000000")
    await second_factor_login(api, step["ticket"])

    step = await _password_step(api, "demo-officer")
    answers = [await _second_factor(api, step["ticket"], "000000") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [401] * 4


async def test_a_new_account_enrols_its_authenticator_and_gets_ten_single_use_recovery_codes(
    api, session, new_reviewer
):
    step = await _password_step(api, "zhao.liu", STRONG_PASSWORD)
    assert step["enrolled"] is False
    not_yet = await _second_factor(api, step["ticket"], "123456")
    assert not_yet.json()["code"] == "auth.second_factor_not_enrolled"

    offer = (await api.post("/auth/second-factor/enrolment", json={"ticket": step["ticket"]})).json()
    assert offer["otpauth_uri"].startswith("otpauth://totp/")
    assert qr.encodes(qr.data_uri(offer["qr_svg"]), offer["otpauth_uri"])
    assert pyotp.parse_uri(offer["otpauth_uri"]).issuer == "海事一网通办"
    assert pyotp.parse_uri(offer["otpauth_uri"]).secret == offer["secret"]
    wrong = await api.post(
        "/auth/second-factor/enrolment/confirm", json={"ticket": step["ticket"], "code": "000000"}
    )
    assert wrong.json()["code"] == "auth.second_factor_invalid"
    confirmed = await api.post(
        "/auth/second-factor/enrolment/confirm",
        json={"ticket": step["ticket"], "code": totp_code(offer["secret"])},
    )

    assert confirmed.status_code == 200
    tokens = confirmed.json()
    assert tokens["access_token"] and len(set(tokens["recovery_codes"])) == 10
    factor = await session.get(SecondFactor, new_reviewer.id)
    assert offer["secret"].encode() not in factor.secret_encrypted
    digests = set(
        await session.scalars(select(RecoveryCode.digest).where(RecoveryCode.user_id == new_reviewer.id))
    )
    assert len(digests) == 10 and not {code.encode() for code in tokens["recovery_codes"]} & digests
    # From now on the account signs in with its authenticator.
    assert (await _password_step(api, "zhao.liu", STRONG_PASSWORD))["enrolled"] is True


async def test_a_recovery_code_signs_in_once(api, new_reviewer):
    step = await _password_step(api, "zhao.liu", STRONG_PASSWORD)
    _, enrolled = await enrol_second_factor(api, step["ticket"])
    recovery = enrolled["recovery_codes"][0]

    first = await _password_step(api, "zhao.liu", STRONG_PASSWORD)
    used = await _second_factor(api, first["ticket"], recovery.lower().replace("-", ""))
    assert used.status_code == 200

    second = await _password_step(api, "zhao.liu", STRONG_PASSWORD)
    again = await _second_factor(api, second["ticket"], recovery)
    assert again.status_code == 401
    assert again.json()["code"] == "auth.second_factor_invalid"


async def test_an_enrolled_account_cannot_enrol_again_with_a_ticket(api):
    step = await _password_step(api, "demo-secadmin")

    response = await api.post("/auth/second-factor/enrolment", json={"ticket": step["ticket"]})

    assert response.status_code == 409
    assert response.json()["code"] == "auth.second_factor_enrolled"


async def test_confirming_before_asking_for_a_secret_is_refused(api, new_reviewer):
    step = await _password_step(api, "zhao.liu", STRONG_PASSWORD)

    response = await api.post(
        "/auth/second-factor/enrolment/confirm", json={"ticket": step["ticket"], "code": "123456"}
    )

    assert response.json()["code"] == "auth.enrolment_not_started"


async def test_a_privileged_account_bound_to_wechat_does_not_sign_in_by_wechat_alone(api):
    ticket = (await api.post("/auth/wechat/session", json={"code": "officer-phone"})).json()["binding_ticket"]
    step = await api.post(
        "/auth/login/password",
        json={"username": "demo-officer", "password": "Demo@12345", "binding_ticket": ticket},
    )
    tokens = await second_factor_login(api, step.json()["ticket"])
    assert tokens["user"]["wechat_bound"] is True

    again = await api.post("/auth/wechat/session", json={"code": "officer-phone"})

    assert again.json()["bound"] is False
    assert again.json()["access_token"] is None


async def test_the_second_factor_steps_are_in_the_audit_trail(api, session):
    await password_login(api, "demo-sysadmin")

    events = {
        (event, outcome)
        for event, outcome in await session.execute(select(AuditEvent.event, AuditEvent.outcome))
    }
    assert ("auth.login_password", "second_factor") in events
    assert ("auth.login_second_factor", "success") in events
