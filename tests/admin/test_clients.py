"""系统管理员 registers the machine clients (系统对接): what a registration must say, and what
the other administrators may not do."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.auth.test_machine_clients import EVERY_SCOPE, as_bearer, ec_key, probe, token_by_form

BODY = {"name": "长江海事局后台", "responsible_unit": "长江海事局信息中心", "agency_code": "SH", "scopes": ["applications:read"]}


def _b64(number: int, size: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(size, "big")).decode().rstrip("=")


def rsa_jwk(bits: int) -> dict:
    numbers = rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key().public_numbers()
    modulus = {"n": _b64(numbers.n, bits // 8), "e": _b64(numbers.e, 3)}
    return {"kty": "RSA", "alg": "RS256", **modulus, "kid": f"rsa-{bits}"}


async def register(api, admins, **fields):
    return await api.post("/admin/clients", json={**BODY, **fields}, headers=admins["sysadmin"])


def field_errors(response) -> list[tuple[list, str]]:
    assert response.status_code == 422, response.text
    return [(error["loc"], error["type"]) for error in response.json()["errors"]]


async def test_only_the_system_administrator_registers_clients(api, admins):
    for role in ("secadmin", "auditor"):
        refused = await api.post("/admin/clients", json=BODY, headers=admins[role])
        assert refused.status_code == 403


async def test_a_client_serves_an_agency_that_exists(api, admins):
    refused = await register(api, admins, agency_code="XX")

    assert field_errors(refused) == [(["body", "agency_code"], "unknown_agency")]


async def test_networks_are_checked_and_kept_in_canonical_form(api, admins):
    bad = await register(api, admins, allowed_sources=["10.0.0.0/8", "2001:db8:::1/64"])
    good = await register(api, admins, allowed_sources=["10.1.2.3/16", "10.1.0.0/16", "2001:DB8::/32"])

    assert field_errors(bad) == [(["body", "allowed_sources", 1], "network")]
    assert "2001:db8:::1/64" in bad.json()["errors"][0]["msg"]
    assert good.json()["allowed_sources"] == ["10.1.0.0/16", "2001:db8::/32"]
    assert (await register(api, admins, allowed_sources=["10.0.0.300/8"])).status_code == 422


async def test_scopes_are_those_the_service_knows(api, admins):
    assert (await register(api, admins, scopes=["ships:sink"])).status_code == 422
    assert (await register(api, admins, scopes=[])).status_code == 422
    registered = (await register(api, admins, scopes=[*EVERY_SCOPE, "events:subscribe"])).json()
    assert sorted(scope["code"] for scope in registered["scopes"]) == sorted(EVERY_SCOPE)
    assert {scope["label"] for scope in registered["scopes"]} >= {"推送证照"}


async def test_a_client_without_a_secret_must_have_public_keys(api, admins):
    assert field_errors(await register(api, admins, secret=False)) == [(["body", "jwks"], "missing")]


async def test_a_jwks_holds_public_keys_only(api, admins):
    _, public = ec_key()
    private = {**public, "d": "c2VjcmV0"}

    refused = await register(api, admins, jwks={"keys": [private]})

    assert refused.status_code == 422
    assert "私钥" in refused.json()["detail"]


@pytest.mark.parametrize(
    "key",
    [
        pytest.param({"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}, id="a point off the curve"),
        pytest.param(
            {"kty": "EC", "crv": "P-256", "alg": "RS256", "x": "AAAA", "y": "AAAA"}, id="EC key for RS256"
        ),
        pytest.param("weak RSA", id="RSA under 2048 bits"),
    ],
)
async def test_a_key_that_cannot_verify_is_refused(api, admins, key):
    key = rsa_jwk(1024) if key == "weak RSA" else key

    refused = await register(api, admins, jwks={"keys": [key]})

    assert field_errors(refused) == [(["body", "jwks", "keys", 0], "jwks.invalid_key")]


async def test_rsa_and_ec_public_keys_are_registered(api, admins):
    _, public = ec_key()
    registered = await register(api, admins, secret=False, jwks={"keys": [public, rsa_jwk(2048)]})

    assert registered.status_code == 201, registered.text
    assert registered.json()["key_ids"] == ["registry-2026", "rsa-2048"]
    assert registered.json()["has_secret"] is False


async def test_new_public_keys_stop_the_tokens_issued_before(app, api, client, admins):
    app.include_router(probe)
    registered = (await register(api, admins, scopes=["events:subscribe"])).json()
    headers = as_bearer(await token_by_form(client, registered))
    assert (await client.get("/probe/events", headers=headers)).status_code == 200
    _, public = ec_key()

    replaced = await api.put(
        f"/admin/clients/{registered['id']}/jwks", json={"keys": [public]}, headers=admins["sysadmin"]
    )

    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["credentials_version"] == 2
    assert (await client.get("/probe/events", headers=headers)).status_code == 401


async def test_clients_are_listed_newest_first_a_page_at_a_time(api, admins):
    first = (await register(api, admins, name="甲")).json()
    second = (await register(api, admins, name="乙")).json()

    page = (await api.get("/admin/clients", params={"limit": 1}, headers=admins["sysadmin"])).json()
    rest = (
        await api.get(
            "/admin/clients", params={"limit": 1, "cursor": page["next_cursor"]}, headers=admins["sysadmin"]
        )
    ).json()

    assert [item["id"] for item in page["items"] + rest["items"]] == [second["id"], first["id"]]


async def test_an_unknown_client_is_not_found(api, admins):
    missing = await api.get("/admin/clients/0192f0e0-0000-7000-8000-000000000000", headers=admins["sysadmin"])

    assert (missing.status_code, missing.json()["code"]) == (404, "admin.client_not_found")
