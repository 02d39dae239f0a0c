"""An operator rotates the 亮证 signing key: ``python -m app.cli rotate-display-key``."""

import asyncio

import httpx

from app import cli
from app.main import create_app


def _jwks(settings) -> list[str]:
    async def fetch():
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return (await client.get("/.well-known/jwks.json")).json()

    return [key["kid"] for key in asyncio.run(fetch())["keys"]]


def test_the_rotation_command_activates_a_new_key_and_keeps_the_old_one_published(operator_env, capsys):
    (first,) = _jwks(operator_env)  # the first key is created when it is first needed

    cli.main(["rotate-display-key"])

    output = capsys.readouterr().out
    (second,) = [line.split(": ")[1] for line in output.splitlines() if line.startswith("active")]
    assert f"retired display key: {first} (published in the JWKS for 3 more minutes)" in output
    assert _jwks(operator_env) == [second, first]


def test_rotating_before_any_key_exists_just_creates_one(operator_env, capsys):
    cli.main(["rotate-display-key"])

    output = capsys.readouterr().out
    assert output.startswith("active display key: ") and "retired" not in output
    assert _jwks(operator_env) == [output.split(": ")[1].strip()]
