"""An operator creates staff, officer and admin accounts from the command line."""

import asyncio
import io

import httpx
import pytest

from app import cli
from app.core.config import get_settings
from app.core.db import create_engine
from app.main import create_app
from tests.support.database import prepare_database, settings_for_tests


@pytest.fixture
def operator_env(database_kind, database_factory, tmp_path, monkeypatch):
    settings = settings_for_tests(database_factory(database_kind), tmp_path)

    async def prepare():
        engine = create_engine(settings)
        await prepare_database(engine, settings)
        await engine.dispose()

    asyncio.run(prepare())
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_an_operator_creates_a_staff_member_who_can_then_sign_in(operator_env, monkeypatch, capsys):
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
                return await client.post(
                    "/auth/login/password", json={"username": "li.si", "password": "Reviewer#2026"}
                )

    response = asyncio.run(sign_in())
    assert response.status_code == 200
    assert response.json()["user"]["agency"]["code"] == "SH"


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
