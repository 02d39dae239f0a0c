"""三员分立 holds against the security administrator: no administrator account is created,
unlocked, reset or disabled by one administrator alone (双人复核: the security administrator
asks, a system or audit administrator approves), an account an administrator creates is signed
in first by its holder, who replaces the one-time initial password and enrols their own
authenticator, and every step is in the audit trail the audit administrator reads."""

import asyncio
import io
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from app import cli
from app.accounts.models import User
from app.accounts.service import create_operator_account
from app.admin.models import AccountRequest
from app.auth.models import SecondFactor
from app.core.auth import Role
from app.core.db import utcnow
from app.main import create_app
from tests.support.audit import trail
from tests.support.people import bearer, enrol_second_factor, password_login

NEW_AUDITOR = {
    "action": "create_account",
    "role": "auditor",
    "username": "wang.wu",
    "name": "王五",
    "reason": "新任审计管理员",
}


async def _id(session, username: str) -> str:
    return await session.scalar(select(User.id).where(User.username == username))


async def _sign_in(api, username: str, password: str):
    return await api.post("/auth/login/password", json={"username": username, "password": password})


async def _first_sign_in(api, username: str, initial_password: str, own_password: str) -> dict:
    """The holder's first sign-in: replace the initial password, enrol an authenticator."""
    first = await _sign_in(api, username, initial_password)
    assert first.status_code == 403 and first.json()["code"] == "auth.password_expired", first.text
    step = await api.post(
        "/auth/password/expired", json={"ticket": first.json()["ticket"], "new_password": own_password}
    )
    assert step.status_code == 200 and step.json()["enrolled"] is False, step.text
    _, tokens = await enrol_second_factor(api, step.json()["ticket"])
    return tokens


# --- The attack, sentence by sentence --------------------------------------------------------


@pytest.mark.parametrize("role", ["auditor", "secadmin", "sysadmin"])
async def test_the_security_administrator_cannot_create_an_administrator_alone(api, session, admins, role):
    body = {"role": role, "username": "second.admin", "name": "冒名管理员"}

    response = await api.post("/admin/security/accounts", json=body, headers=admins["secadmin"])

    assert response.status_code == 403
    assert response.json()["code"] == "admin.dual_control_required"
    assert await _id(session, "second.admin") is None
    refusals = await trail(api, admins["auditor"], event="admin.account_create", outcome="dual_control")
    assert [(e["actor_id"], e["detail"]["role"]) for e in refusals] == [
        (await _id(session, "demo-secadmin"), role)
    ]


async def test_the_creator_of_a_staff_account_never_holds_a_password_that_keeps_working(api, session, admins):
    created = await api.post(
        "/admin/security/accounts",
        json={"role": "staff", "username": "zhao.liu", "name": "赵六", "agency_code": "SH"},
        headers=admins["secadmin"],
    )
    initial = created.json()["initial_password"]

    # The creator signs in with what they were shown: no tokens, only the way to a new password.
    refused = await _sign_in(api, "zhao.liu", initial)
    assert refused.status_code == 403 and refused.json()["code"] == "auth.password_expired"
    assert "access_token" not in refused.json()
    # The holder replaces it and enrols their own authenticator; the initial password is spent.
    tokens = await _first_sign_in(api, "zhao.liu", initial, "Zhao#Liu2027x")
    assert tokens["user"]["role"]["code"] == "staff"
    spent = await _sign_in(api, "zhao.liu", initial)
    assert spent.status_code == 401 and spent.json()["code"] == "auth.invalid_credentials"
    outcomes = {
        (e["event"], e["outcome"])
        for e in await trail(api, admins["auditor"], actor_id=await _id(session, "zhao.liu"))
    }
    assert {
        ("auth.login_password", "initial_password"),
        ("auth.initial_password_change", "success"),
        ("auth.second_factor_enrol", "success"),
    } <= outcomes


async def test_the_creator_is_never_shown_an_authenticator_secret(api, admins):
    created = await api.post(
        "/admin/security/accounts",
        json={"role": "officer", "username": "qian.ba", "name": "钱八", "agency_code": "SH"},
        headers=admins["secadmin"],
    )

    assert created.status_code == 201
    assert set(created.json()) & {"secret", "otpauth_uri", "qr_svg", "recovery_codes"} == set()
    assert created.json()["second_factor_enrolled"] is False


@pytest.mark.parametrize(
    ("method", "path", "event"),
    [
        ("delete", "/admin/security/accounts/{id}/second-factor", "admin.second_factor_reset"),
        ("post", "/admin/security/accounts/{id}/disable", "admin.account_disable"),
        ("post", "/admin/security/accounts/{id}/unlock", "admin.account_unlock"),
        ("post", "/admin/security/accounts/{id}/enable", "admin.account_enable"),
    ],
)
@pytest.mark.parametrize("target", ["demo-auditor", "demo-sysadmin"])
async def test_the_security_administrator_cannot_change_another_administrator_alone(
    api, session, admins, method, path, event, target
):
    target_id = await _id(session, target)

    response = await getattr(api, method)(path.replace("{id}", target_id), headers=admins["secadmin"])

    assert response.status_code == 403
    assert response.json()["code"] == "admin.dual_control_required"
    assert await session.scalar(select(SecondFactor.user_id).where(SecondFactor.user_id == target_id))
    assert await session.scalar(select(User.disabled_at).where(User.id == target_id)) is None
    refused = await trail(api, admins["auditor"], event=event, object_id=target_id)
    assert [e["outcome"] for e in refused] == ["dual_control"]


@pytest.fixture
async def second_secadmin(api, session) -> dict:
    """A second security administrator, as the operator on the host makes one (the other lawful way)."""
    await create_operator_account(
        session,
        role=Role.secadmin,
        username="sec.two",
        name="第二安全员",
        password="Initial#2026x",
        agency_code=None,
        initial=True,
    )
    tokens = await _first_sign_in(api, "sec.two", "Initial#2026x", "SecTwo#Own2027")
    return bearer(tokens)


async def test_a_second_security_administrator_cannot_reset_the_first_ones_second_factor(
    api, session, admins, second_secadmin
):
    first_id = await _id(session, "demo-secadmin")

    response = await api.delete(f"/admin/security/accounts/{first_id}/second-factor", headers=second_secadmin)

    assert response.status_code == 403 and response.json()["code"] == "admin.dual_control_required"
    assert await session.scalar(select(SecondFactor.user_id).where(SecondFactor.user_id == first_id))


# --- 双人复核 ------------------------------------------------------------------------------


async def test_an_auditor_account_is_created_on_request_and_approval_and_neither_admin_can_sign_in_alone(
    api, session, admins
):
    asked = await api.post("/admin/security/requests", json=NEW_AUDITOR, headers=admins["secadmin"])
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert request["status"]["code"] == "pending" and request["account_id"] is None
    first_half = request["initial_password_part"]
    assert await _id(session, "wang.wu") is None  # nothing happens before the approval

    approved = await api.post(
        f"/admin/security/requests/{request['id']}/approve",
        json={"comment": "已当面核实"},
        headers=admins["sysadmin"],
    )

    assert approved.status_code == 200, approved.text
    second_half = approved.json()["initial_password_part"]
    account_id = approved.json()["account_id"]
    assert approved.json()["status"]["code"] == "approved"
    assert account_id == await _id(session, "wang.wu")
    # Neither administrator alone knows the initial password.
    for half in (first_half, second_half):
        alone = await _sign_in(api, "wang.wu", half)
        assert alone.status_code == 401 and alone.json()["code"] == "auth.invalid_credentials"
    # The holder, given both halves, replaces the password and enrols; then reads the trail.
    tokens = await _first_sign_in(api, "wang.wu", f"{first_half}-{second_half}", "WangWu#Audit2027")
    assert tokens["user"]["role"]["code"] == "auditor"
    events = await trail(api, bearer(tokens), object_id=request["id"])
    assert [(e["event"], e["actor_id"]) for e in reversed(events)] == [
        ("admin.request_create", await _id(session, "demo-secadmin")),
        ("admin.request_approve", await _id(session, "demo-sysadmin")),
    ]
    (created,) = await trail(api, bearer(tokens), event="admin.account_create", object_id=account_id)
    assert created["actor_id"] == await _id(session, "demo-sysadmin")
    assert created["detail"]["request_id"] == request["id"]
    # The half kept for the approval is gone once the request is decided.
    assert await session.scalar(
        select(AccountRequest.initial_part_encrypted).where(AccountRequest.id == request["id"])
    ) is None


async def test_the_auditors_second_factor_is_reset_once_the_system_administrator_approves(
    api, session, admins
):
    auditor_id = await _id(session, "demo-auditor")
    asked = await api.post(
        "/admin/security/requests",
        json={"action": "reset_second_factor", "account_id": auditor_id, "reason": "更换手机"},
        headers=admins["secadmin"],
    )
    request_id = asked.json()["id"]
    assert asked.json()["initial_password_part"] is None

    # The account concerned does not approve its own request.
    own = await api.post(f"/admin/security/requests/{request_id}/approve", headers=admins["auditor"])
    assert own.status_code == 403 and own.json()["code"] == "admin.own_account"
    assert await session.scalar(select(SecondFactor.user_id).where(SecondFactor.user_id == auditor_id))

    approved = await api.post(f"/admin/security/requests/{request_id}/approve", headers=admins["sysadmin"])

    assert approved.status_code == 200
    enrolled = select(SecondFactor.user_id).where(SecondFactor.user_id == auditor_id)
    assert await session.scalar(enrolled) is None
    assert (await api.get("/me", headers=admins["auditor"])).status_code == 401
    step = await _sign_in(api, "demo-auditor", "Demo@12345")
    assert step.json()["enrolled"] is False


async def test_the_security_administrator_cannot_approve_their_own_request(api, admins):
    asked = await api.post("/admin/security/requests", json=NEW_AUDITOR, headers=admins["secadmin"])

    response = await api.post(
        f"/admin/security/requests/{asked.json()['id']}/approve", headers=admins["secadmin"]
    )

    assert response.status_code == 403 and response.json()["code"] == "auth.forbidden"


async def test_a_rejected_request_changes_nothing_and_cannot_be_approved_afterwards(api, session, admins):
    sysadmin_id = await _id(session, "demo-sysadmin")
    asked = await api.post(
        "/admin/security/requests",
        json={"action": "disable", "account_id": sysadmin_id, "reason": "离岗"},
        headers=admins["secadmin"],
    )
    request_id = asked.json()["id"]

    rejected = await api.post(
        f"/admin/security/requests/{request_id}/reject",
        json={"comment": "未经单位书面批准"},
        headers=admins["auditor"],
    )
    again = await api.post(f"/admin/security/requests/{request_id}/approve", headers=admins["auditor"])

    assert rejected.json()["status"]["code"] == "rejected"
    assert rejected.json()["decision_comment"] == "未经单位书面批准"
    assert again.status_code == 409 and again.json()["code"] == "admin.request_closed"
    assert again.json()["detail"] == "该申请已驳回，不能再次复核"
    assert await session.scalar(select(User.disabled_at).where(User.id == sysadmin_id)) is None
    assert (await api.get("/admin/system/status", headers=admins["sysadmin"])).status_code == 200
    (rejection,) = await trail(api, admins["auditor"], event="admin.request_reject", object_id=request_id)
    assert rejection["actor_id"] == await _id(session, "demo-auditor")


async def test_a_request_not_decided_in_time_expires(api, session, admins):
    sysadmin_id = await _id(session, "demo-sysadmin")
    asked = await api.post(
        "/admin/security/requests",
        json={"action": "disable", "account_id": sysadmin_id, "reason": "离岗"},
        headers=admins["secadmin"],
    )
    request_id = asked.json()["id"]
    await session.execute(
        update(AccountRequest)
        .where(AccountRequest.id == request_id)
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )

    listed = await api.get(
        "/admin/security/requests", params={"status": "expired"}, headers=admins["auditor"]
    )
    late = await api.post(f"/admin/security/requests/{request_id}/approve", headers=admins["auditor"])

    assert [r["id"] for r in listed.json()["items"]] == [request_id]
    assert late.status_code == 409 and late.json()["code"] == "admin.request_expired"
    assert await session.scalar(select(User.disabled_at).where(User.id == sysadmin_id)) is None
    pending = await api.get(
        "/admin/security/requests", params={"status": "pending"}, headers=admins["secadmin"]
    )
    assert pending.json()["items"] == []
    assert [e["outcome"] for e in await trail(api, admins["auditor"], event="admin.request_expire")] == [
        "expired"
    ]


async def test_requests_concern_administrator_accounts_only(api, session, admins):
    staff_id = await _id(session, "demo-staff-sh")

    response = await api.post(
        "/admin/security/requests",
        json={"action": "disable", "account_id": staff_id, "reason": "离岗"},
        headers=admins["secadmin"],
    )

    assert response.status_code == 404
    assert response.json()["code"] == "admin.administrator_not_found"


async def test_a_request_for_a_username_already_taken_is_refused_at_once(api, admins):
    response = await api.post(
        "/admin/security/requests",
        json=NEW_AUDITOR | {"username": "demo-officer"},
        headers=admins["secadmin"],
    )

    assert response.status_code == 409 and response.json()["code"] == "account.exists"


def test_the_operator_on_the_host_creates_an_administrator_who_replaces_the_password(
    operator_env, monkeypatch
):
    monkeypatch.setattr("sys.stdin", io.StringIO("Operator#2026x\n"))
    cli.main(
        [
            *("create-user", "--role", "auditor", "--username", "host.auditor"),
            *("--name", "主机审计员", "--password-stdin"),
        ]
    )

    async def first_sign_in():
        app = create_app(operator_env)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as client:
                tokens = await _first_sign_in(client, "host.auditor", "Operator#2026x", "HostAudit#Own2027")
                return await trail(client, bearer(tokens), event="admin.account_create")

    (created,) = asyncio.run(first_sign_in())
    assert created["actor_id"] is None
    assert created["detail"] == {"role": "auditor", "via": "host_command"}


def test_the_operator_on_the_host_resets_an_administrators_second_factor(operator_env, capsys):
    cli.main(["account", "reset-second-factor", "--username", "demo-secadmin"])

    assert "reset-second-factor: demo-secadmin" in capsys.readouterr().out

    async def next_sign_in():
        app = create_app(operator_env)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as client:
                step = await _sign_in(client, "demo-secadmin", "Demo@12345")
                assert step.json()["enrolled"] is False
                reader = bearer(await password_login(client, "demo-auditor"))
                return await trail(client, reader, event="admin.second_factor_reset")

    (event,) = asyncio.run(next_sign_in())
    assert event["actor_id"] is None and event["detail"] == {"via": "host_command"}
