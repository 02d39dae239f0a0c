"""法人/船舶用户登录 and brute-force protection."""

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core import security
from app.core.db import utcnow
from app.core.throttle import ThrottleCounter
from tests.support.addresses import from_address
from tests.support.clock import fresh_rate_window
from tests.support.people import password_login


async def _login(api, username, password):
    return await api.post("/auth/login/password", json={"username": username, "password": password})


async def test_the_demo_corporate_account_logs_in_with_its_password(api):
    response = await _login(api, "demo-corp", "Demo@12345")

    assert response.status_code == 200
    assert response.json()["user"]["corporate"]["company_name"] == "上海海港示例航运有限公司"


async def test_usernames_are_not_case_sensitive(api):
    assert (await _login(api, "Demo-Corp", "Demo@12345")).status_code == 200


async def test_an_unknown_username_and_a_wrong_password_get_the_same_answer(api):
    unknown = await _login(api, "nobody-here", "Demo@12345")
    wrong = await _login(api, "demo-corp", "Wrong@12345")

    assert unknown.status_code == wrong.status_code == 401
    strip = lambda body: {k: v for k, v in body.items() if k != "request_id"}  # noqa: E731
    assert strip(unknown.json()) == strip(wrong.json())
    assert unknown.json()["title"] == "用户名或密码错误"


async def test_five_failures_from_one_address_hold_the_account_there_for_thirty_minutes(api, session):
    for attempt in range(4):
        assert (await _login(api, "demo-corp", f"Wrong@{attempt}")).status_code == 401

    fifth = await _login(api, "demo-corp", "Wrong@5")

    assert fifth.status_code == 423
    body = fifth.json()
    assert body["code"] == "auth.locked"
    assert body["title"] == "登录失败次数过多，请稍后再试"
    locked_until = datetime.fromisoformat(body["locked_until"])
    assert body["locked_until"].endswith("+08:00")
    assert timedelta(minutes=29) < locked_until - utcnow() <= timedelta(minutes=30)
    assert (await _login(api, "demo-corp", "Demo@12345")).json()["code"] == "auth.locked"
    events = set(await session.scalars(select(AuditEvent.event).where(AuditEvent.event.like("auth.%"))))
    assert {"auth.lockout", "auth.login_password"} <= events


async def test_the_owner_signs_in_from_another_address_while_an_attacker_is_held(app, api):
    """Issue 14 point 5: six wrong passwords used to lock the account itself for everybody."""
    for attempt in range(6):
        await _login(api, "demo-corp", f"Wrong@{attempt}")
    assert (await _login(api, "demo-corp", "Demo@12345")).status_code == 423

    async with from_address(app, "198.51.100.33") as owner:
        answer = await _login(owner, "demo-corp", "Demo@12345")

    assert answer.status_code == 200, answer.text


async def test_a_held_account_and_a_held_unknown_username_answer_alike(api):
    """423 for existing usernames and 401 for the rest told which usernames exist."""
    answers = {}
    for username in ("demo-corp", "nobody-here"):
        for attempt in range(5):
            await _login(api, username, f"Wrong@{attempt}")
        answers[username] = await _login(api, username, "Demo@12345")

    held, unknown = answers["demo-corp"], answers["nobody-here"]
    assert held.status_code == unknown.status_code == 423
    ignored = ("request_id", "locked_until", "detail")  # the times differ by the seconds between them
    strip = lambda body: {k: v for k, v in body.items() if k not in ignored}  # noqa: E731
    assert strip(held.json()) == strip(unknown.json())
    assert re.fullmatch(r"登录失败次数过多，请于 \d\d:\d\d 后再试", held.json()["detail"])
    assert re.fullmatch(r"登录失败次数过多，请于 \d\d:\d\d 后再试", unknown.json()["detail"])


async def test_unknown_usernames_cost_a_password_hash_too(api, monkeypatch):
    checked = []
    real = security._passwords.verify
    monkeypatch.setattr(security._passwords, "verify", lambda *args: checked.append(1) or real(*args))

    await _login(api, "nobody-here", "Demo@12345")
    await _login(api, "demo-corp", "Wrong@12345")

    assert checked == [1, 1]


async def test_the_hold_opens_after_its_time(api, session):
    for attempt in range(5):
        await _login(api, "demo-corp", f"Wrong@{attempt}")
    await _age_sign_in_counters(session, timedelta(minutes=31))

    assert (await _login(api, "demo-corp", "Demo@12345")).status_code == 200


async def test_failures_older_than_fifteen_minutes_do_not_count(api, session):
    for attempt in range(4):
        await _login(api, "demo-corp", f"Wrong@{attempt}")
    await _age_sign_in_counters(session, timedelta(minutes=16))

    assert (await _login(api, "demo-corp", "Wrong@again")).status_code == 401
    assert (await _login(api, "demo-corp", "Demo@12345")).status_code == 200


async def test_a_success_clears_the_failure_count(api, session):
    for attempt in range(4):
        await _login(api, "demo-corp", f"Wrong@{attempt}")
    await _login(api, "demo-corp", "Demo@12345")

    for attempt in range(4):
        assert (await _login(api, "demo-corp", f"Wrong@x{attempt}")).status_code == 401


async def _age_sign_in_counters(session, age: timedelta) -> None:
    """Move every sign-in counter and hold ``age`` into the past, as if that time had gone by."""
    for counter in await session.scalars(select(ThrottleCounter).where(ThrottleCounter.key.like("signin:%"))):
        counter.window_start -= age
    await session.flush()


async def test_sign_in_endpoints_are_rate_limited_per_address(app, api):
    app.state.settings = app.state.settings.model_copy(update={"auth_requests_per_minute": 3})
    await fresh_rate_window()
    for _ in range(3):
        await _login(api, "nobody", "Wrong@1234")

    limited = await _login(api, "nobody", "Wrong@1234")

    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 61


async def test_staff_officers_and_admins_sign_in_with_password_and_second_factor(api):
    for username, role in [
        ("demo-officer", "officer"),
        ("demo-staff-sh", "staff"),
        ("demo-sysadmin", "sysadmin"),
        ("demo-secadmin", "secadmin"),
        ("demo-auditor", "auditor"),
    ]:
        tokens = await password_login(api, username)
        assert tokens["user"]["role"]["code"] == role, username
    staff = (await password_login(api, "demo-staff-sh"))["user"]
    assert staff["agency"]["code"] == "SH"
