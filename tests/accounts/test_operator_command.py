"""An operator creates staff, officer and admin accounts from the command line."""

import asyncio
import io

import httpx
import pytest

from app import cli
from app.main import create_app
from tests.support.people import enrol_second_factor


def test_an_operator_creates_a_staff_member_who_replaces_the_initial_password_and_enrols(
    operator_env, monkeypatch, capsys
):
    monkeypatch.setattr("sys.stdin", io.StringIO("Reviewer#2026\n"))

    cli.main(
        [
            "create-user",
            "--role",
            "staff",
            "--username",
            "li.si",
            "--name",
            "李四",
            "--agency",
            "SH",
            "--password-stdin",
        ]
    )

    assert "created staff li.si" in capsys.readouterr().out

    async def sign_in():
        app = create_app(operator_env)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as client:
                first = await client.post(
                    "/auth/login/password", json={"username": "li.si", "password": "Reviewer#2026"}
                )
                # The operator typed the password: it only opens the way to the holder's own.
                assert first.status_code == 403 and first.json()["code"] == "auth.password_expired"
                step = await client.post(
                    "/auth/password/expired",
                    json={"ticket": first.json()["ticket"], "new_password": "Own#Choice2027"},
                )
                assert step.json()["enrolled"] is False
                return await enrol_second_factor(client, step.json()["ticket"])

    _, tokens = asyncio.run(sign_in())
    assert tokens["user"]["agency"]["code"] == "SH"


@pytest.mark.parametrize(
    "arguments",
    [
        ["--role", "staff", "--username", "no.agency", "--name", "王五"],
        ["--role", "staff", "--username", "bad.agency", "--name", "王五", "--agency", "NOPE"],
        ["--role", "officer", "--username", "demo-officer", "--name", "重名"],
    ],
)
def test_an_invalid_account_is_refused_with_a_reason(operator_env, monkeypatch, arguments):
    monkeypatch.setattr("sys.stdin", io.StringIO("Reviewer#2026\n"))

    with pytest.raises(SystemExit, match="create-user failed"):
        cli.main(["create-user", *arguments, "--password-stdin"])
