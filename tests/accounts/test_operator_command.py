"""An operator creates staff, officer and admin accounts from the command line."""

import asyncio
import io
import sqlite3

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

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


def test_an_operator_command_holds_the_sqlite_write_lock_from_its_start(operator_env, database_kind):
    """A server committing between the command's first read and its first write would
    otherwise fail the command at once with "database is locked" (SQLITE_BUSY_SNAPSHOT)."""
    if database_kind != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    path = make_url(operator_env.sqlalchemy_url).database

    async def read_then_let_the_server_try_to_write(session) -> bool:
        await session.execute(text("SELECT count(*) FROM users"))
        server = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            server.execute("BEGIN IMMEDIATE")
            server.rollback()
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            server.close()

    server_could_write = asyncio.run(cli._in_transaction(read_then_let_the_server_try_to_write))

    assert server_could_write is False
