"""三员分立: the security administrator manages operator accounts, the system administrator runs
the system, the audit administrator does neither; no administrator acts on their own account."""

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEvent
from tests.support.people import STRONG_PASSWORD, bearer, enrol_second_factor, password_login

NEW_OFFICER = {"role": "officer", "username": "sun.qi", "name": "孙七", "agency_code": "SH"}
SECURITY_DUTIES = [
    ("post", "/admin/security/accounts", NEW_OFFICER),
    ("post", "/admin/security/accounts/{id}/unlock", None),
    ("delete", "/admin/security/accounts/{id}/second-factor", None),
    ("post", "/admin/security/accounts/{id}/disable", None),
    ("post", "/admin/security/accounts/{id}/enable", None),
]
SYSTEM_DUTIES = [("post", "/admin/system/read-cache/refresh", None), ("get", "/admin/system/status", None)]


async def _user_id(session, username: str) -> str:
    return await session.scalar(select(User.id).where(User.username == username))


async def _call(api, method, path, body, headers, target_id):
    kwargs = {"headers": headers} | ({"json": body} if body is not None else {})
    return await getattr(api, method)(path.replace("{id}", target_id), **kwargs)


async def test_each_administrator_is_refused_the_duties_of_the_others(api, session, admins):
    officer_id = await _user_id(session, "demo-officer")
    staff = bearer(await password_login(api, "demo-staff-sh"))
    refused = {
        "security": {"sysadmin": admins["sysadmin"], "auditor": admins["auditor"], "staff": staff},
        "system": {"secadmin": admins["secadmin"], "auditor": admins["auditor"], "staff": staff},
    }
    for duty, calls in (("security", SECURITY_DUTIES), ("system", SYSTEM_DUTIES)):
        for role, headers in refused[duty].items():
            for method, path, body in calls:
                response = await _call(api, method, path, body, headers, officer_id)
                assert response.status_code == 403, (role, path)
                assert response.json()["code"] == "auth.forbidden"


async def test_the_security_administrator_creates_an_officer_who_replaces_the_initial_password_and_enrols(
    api, session, admins
):
    created = await api.post("/admin/security/accounts", json=NEW_OFFICER, headers=admins["secadmin"])

    assert created.status_code == 201
    account = created.json()
    assert account["role"] == {"code": "officer", "label": "执法人员"}
    assert account["agency"]["code"] == "SH"
    assert account["second_factor_enrolled"] is False and account["disabled"] is False
    assert account["password_changed_at"] is None
    assert "password" not in account and "password_hash" not in account
    initial = account["initial_password"]
    first = await api.post("/auth/login/password", json={"username": "sun.qi", "password": initial})
    assert first.status_code == 403 and first.json()["code"] == "auth.password_expired"
    assert "初始密码" in first.json()["detail"]
    step = await api.post(
        "/auth/password/expired", json={"ticket": first.json()["ticket"], "new_password": STRONG_PASSWORD}
    )
    assert step.json()["enrolled"] is False
    _, tokens = await enrol_second_factor(api, step.json()["ticket"])
    assert tokens["user"]["role"]["code"] == "officer"
    recorded = await session.scalar(select(AuditEvent).where(AuditEvent.event == "admin.account_create"))
    assert recorded.object_id == account["id"]
    assert recorded.actor_id == await _user_id(session, "demo-secadmin")
    assert await session.scalar(
        select(AuditEvent.actor_id).where(AuditEvent.event == "auth.initial_password_change")
    ) == account["id"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"username": "demo-officer"}, "account.exists"),
        ({"agency_code": None}, "validation_failed"),
        ({"agency_code": "NOPE"}, "validation_failed"),
        ({"role": "personal"}, "validation_failed"),
        # The creator chooses no password: the account gets a one-time initial one.
        ({"password": STRONG_PASSWORD}, "validation_failed"),
    ],
)
async def test_an_invalid_account_is_refused_with_a_reason(api, admins, change, code):
    response = await api.post(
        "/admin/security/accounts", json=NEW_OFFICER | change, headers=admins["secadmin"]
    )

    assert response.json()["code"] == code
    assert response.json()["detail"]


async def test_the_security_administrator_unlocks_a_locked_account(api, session, admins):
    for attempt in range(5):
        await api.post(
            "/auth/login/password", json={"username": "demo-officer", "password": f"Wrong@{attempt}"}
        )
    officer_id = await _user_id(session, "demo-officer")

    unlocked = await api.post(f"/admin/security/accounts/{officer_id}/unlock", headers=admins["secadmin"])

    assert unlocked.status_code == 200 and unlocked.json()["locked_until"] is None
    assert (await password_login(api, "demo-officer"))["access_token"]


async def test_a_reset_second_factor_signs_the_account_out_and_it_enrols_again(api, session, admins):
    officer = await password_login(api, "demo-officer")
    officer_id = await _user_id(session, "demo-officer")

    reset = await api.delete(
        f"/admin/security/accounts/{officer_id}/second-factor", headers=admins["secadmin"]
    )

    assert reset.status_code == 200 and reset.json()["second_factor_enrolled"] is False
    assert (await api.get("/me", headers=bearer(officer))).status_code == 401
    step = await api.post("/auth/login/password", json={"username": "demo-officer", "password": "Demo@12345"})
    assert step.json()["enrolled"] is False


async def test_a_disabled_account_cannot_sign_in_until_enabled_again(api, session, admins):
    staff = await password_login(api, "demo-staff")
    staff_id = await _user_id(session, "demo-staff")

    disabled = await api.post(f"/admin/security/accounts/{staff_id}/disable", headers=admins["secadmin"])

    assert disabled.json()["disabled"] is True
    assert (await api.get("/me", headers=bearer(staff))).status_code == 401
    refused = await api.post(
        "/auth/login/password", json={"username": "demo-staff", "password": "Demo@12345"}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "auth.account_disabled"
    await api.post(f"/admin/security/accounts/{staff_id}/enable", headers=admins["secadmin"])
    assert (await password_login(api, "demo-staff"))["access_token"]


@pytest.mark.parametrize(("method", "path", "body"), SECURITY_DUTIES[1:])
async def test_the_security_administrator_cannot_act_on_their_own_account(
    api, session, admins, method, path, body
):
    own_id = await _user_id(session, "demo-secadmin")

    response = await _call(api, method, path, body, admins["secadmin"], own_id)

    assert response.status_code == 403
    assert response.json()["code"] == "admin.own_account"
    assert (
        await session.scalar(
            select(AuditEvent.outcome).where(AuditEvent.actor_id == own_id, AuditEvent.event.like("admin.%"))
        )
        == "own_account"
    )


async def test_citizens_and_companies_are_not_managed_by_the_security_administrator(api, session, admins):
    corp_id = await _user_id(session, "demo-corp")

    response = await api.post(f"/admin/security/accounts/{corp_id}/disable", headers=admins["secadmin"])

    assert response.status_code == 404
    assert response.json()["code"] == "admin.account_not_found"


async def test_the_system_administrator_refreshes_the_public_read_cache(api, session, admins):
    before = (await api.get("/admin/system/status", headers=admins["sysadmin"])).json()["read_cache_versions"]

    refreshed = await api.post("/admin/system/read-cache/refresh", headers=admins["sysadmin"])

    assert refreshed.status_code == 200
    after = (await api.get("/admin/system/status", headers=admins["sysadmin"])).json()["read_cache_versions"]
    assert {name: after[name] - before.get(name, 0) for name in refreshed.json()["datasets"]} == {
        "agencies": 1,
        "catalog": 1,
        "reference": 1,
        "help": 1,
    }
    assert await session.scalar(
        select(AuditEvent.actor_id).where(AuditEvent.event == "admin.read_cache_refresh")
    )


async def test_the_system_status_names_migrations_and_adapters_without_secrets(api, admins, settings):
    status = (await api.get("/admin/system/status", headers=admins["sysadmin"])).json()

    assert status["migrations_current"] is True
    assert status["migration_revision"] == status["migration_head"]
    assert {a["name"]: a["implementation"] for a in status["adapters"]}["wechat"] == "fake"
    text = str(status)
    for secret in (settings.secret_key, settings.pii_encryption_key, settings.pii_index_key):
        assert secret.get_secret_value() not in text
