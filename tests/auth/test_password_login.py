"""法人/船舶用户登录 and brute-force protection."""

from datetime import timedelta

from sqlalchemy import select, update

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.core.db import utcnow
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


async def test_five_failures_lock_the_account_for_thirty_minutes(api, session):
    for attempt in range(4):
        assert (await _login(api, "demo-corp", f"Wrong@{attempt}")).status_code == 401

    fifth = await _login(api, "demo-corp", "Wrong@5")

    assert fifth.status_code == 423
    body = fifth.json()
    assert body["code"] == "auth.locked"
    assert body["locked_until"].endswith("+08:00")
    assert (await _login(api, "demo-corp", "Demo@12345")).json()["code"] == "auth.locked"
    events = set(await session.scalars(select(AuditEvent.event).where(AuditEvent.event.like("auth.%"))))
    assert {"auth.lockout", "auth.login_password"} <= events


async def test_the_lock_opens_after_its_time(api, session):
    for attempt in range(5):
        await _login(api, "demo-corp", f"Wrong@{attempt}")
    await session.execute(
        update(User).where(User.username == "demo-corp").values(locked_until=utcnow() - timedelta(seconds=1))
    )

    assert (await _login(api, "demo-corp", "Demo@12345")).status_code == 200


async def test_failures_older_than_fifteen_minutes_do_not_count(api, session):
    for attempt in range(4):
        await _login(api, "demo-corp", f"Wrong@{attempt}")
    await session.execute(
        update(User)
        .where(User.username == "demo-corp")
        .values(failures_since=utcnow() - timedelta(minutes=16))
    )

    assert (await _login(api, "demo-corp", "Wrong@again")).status_code == 401
    assert (await _login(api, "demo-corp", "Demo@12345")).status_code == 200


async def test_a_success_clears_the_failure_count(api, session):
    for attempt in range(4):
        await _login(api, "demo-corp", f"Wrong@{attempt}")
    await _login(api, "demo-corp", "Demo@12345")

    assert (await _login(api, "demo-corp", "Wrong@x")).status_code == 401
    user = await session.scalar(select(User).where(User.username == "demo-corp"))
    assert user.failed_logins == 1


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
