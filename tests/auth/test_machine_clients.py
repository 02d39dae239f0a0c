"""Machine clients (系统对接) as the authority's systems use them: registered by the system
administrator, a token at ``POST /oauth/token`` (client secret by HTTP Basic or in the form, or
private_key_jwt), then calls within their scopes, their networks and their own rate limit —
each call in the audit trail as the client's own."""

import base64
import time
import uuid
from typing import Annotated

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import APIRouter
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.deps import EventsSubscriber, require_scopes
from app.auth.models import MachineClient
from app.core.auth import CLIENT_ERRORS, Principal, Scope
from app.core.security import sign_token
from tests.support.people import bearer, password_login

TOKEN_URL = "http://testserver/oauth/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
EVERY_SCOPE = [scope.value for scope in Scope]

# The smallest routes a client calls (no scoped route of the service is needed to prove the grant).
probe = APIRouter(prefix="/probe")


@probe.get("/events")
async def probe_events(client: EventsSubscriber) -> dict:
    return {"client": client.user_id, "agency": client.agency_code}


@probe.get("/certificates")
async def probe_certificates(
    client: Annotated[Principal, require_scopes(Scope.certificates_write)],
) -> dict:
    return {"client": client.user_id}


@pytest.fixture
async def probed(app, client):
    app.include_router(probe)
    return client


@pytest.fixture
async def sysadmin(api) -> dict:
    return bearer(await password_login(api, "demo-sysadmin"))


async def register(api, sysadmin: dict, **fields) -> dict:
    body = {
        "name": "上海海事局证照库",
        "responsible_unit": "上海海事局信息中心",
        "agency_code": "SH",
        "scopes": EVERY_SCOPE,
        **fields,
    }
    response = await api.post("/admin/clients", json=body, headers=sysadmin)
    assert response.status_code == 201, response.text
    return response.json()


def basic(client_id: str, secret: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


async def token(http: httpx.AsyncClient, data: dict | None = None, **request) -> httpx.Response:
    form = {"grant_type": "client_credentials", **(data or {})}
    return await http.post("/oauth/token", data=form, **request)


async def token_by_form(http, registered: dict, **data) -> httpx.Response:
    return await token(
        http, {"client_id": registered["client_id"], "client_secret": registered["client_secret"], **data}
    )


def as_bearer(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def oauth_error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["code"], body["error"]


# --- private_key_jwt: a real P-256 key ---------------------------------------------------------


def _b64(number: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).decode().rstrip("=")


def ec_key(kid: str = "registry-2026") -> tuple[str, dict]:
    """A P-256 private key (PEM) and its public JWK."""
    private = ec.generate_private_key(ec.SECP256R1())
    numbers = private.public_key().public_numbers()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    coordinates = {"x": _b64(numbers.x), "y": _b64(numbers.y)}
    return pem, {"kty": "EC", "crv": "P-256", **coordinates, "kid": kid, "alg": "ES256"}


def assertion(pem: str, client_id: str, *, kid: str = "registry-2026", **claims) -> str:
    now = int(time.time())
    payload = {"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "iat": now, "exp": now + 120,
               "jti": str(uuid.uuid4()), **claims}
    return sign_token(payload, pem, "ES256", headers={"kid": kid})


async def token_by_assertion(http, signed: str, **data) -> httpx.Response:
    return await token(http, {"client_assertion_type": ASSERTION_TYPE, "client_assertion": signed, **data})


# --- The grant -----------------------------------------------------------------------------------


async def test_a_registered_client_takes_a_token_with_its_secret_and_calls_a_route_of_its_scope(
    api, probed, sysadmin
):
    registered = await register(api, sysadmin)

    by_basic = await token(probed, headers=basic(registered["client_id"], registered["client_secret"]))
    by_form = await token_by_form(probed, registered)

    for issued in (by_basic, by_form):
        assert issued.status_code == 200, issued.text
        assert issued.headers["cache-control"] == "no-store"
        body = issued.json()
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == 600
        assert body["scope"].split() == sorted(EVERY_SCOPE)
        called = await probed.get("/probe/events", headers=as_bearer(issued))
        assert called.json() == {"client": registered["client_id"], "agency": "SH"}


async def test_the_secret_is_shown_once_and_stored_only_as_a_digest(api, session, sysadmin):
    registered = await register(api, sysadmin)

    listed = (await api.get("/admin/clients", headers=sysadmin)).json()["items"]
    shown = (await api.get(f"/admin/clients/{registered['id']}", headers=sysadmin)).json()
    stored = await session.get(MachineClient, registered["id"])

    assert len(registered["client_secret"]) >= 43  # 256 bits, base64url
    assert registered["client_id"] == registered["id"]
    assert [item["id"] for item in listed] == [registered["id"]] + [
        item["id"] for item in listed[1:]
    ]
    assert all("client_secret" not in item for item in [*listed, shown])
    assert shown["has_secret"] is True and shown["agency"]["code"] == "SH"
    assert registered["client_secret"] not in stored.secret_hash


async def test_a_wrong_secret_and_an_unknown_client_get_the_same_answer(api, client, sysadmin):
    registered = await register(api, sysadmin)

    wrong = await token(client, headers=basic(registered["client_id"], "not-the-secret"))
    unknown = await token(client, headers=basic(str(uuid.uuid4()), registered["client_secret"]))
    wrong_in_form = await token(client, {"client_id": registered["client_id"], "client_secret": "x"})

    assert oauth_error(wrong) == oauth_error(unknown) == (401, "oauth.invalid_client", "invalid_client")
    assert wrong.json()["title"] == "客户端认证失败"
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert wrong.headers["www-authenticate"].startswith("Basic")
    assert oauth_error(wrong_in_form) == (401, "oauth.invalid_client", "invalid_client")
    assert "www-authenticate" not in wrong_in_form.headers


async def test_too_many_failures_from_one_address_hold_it_even_with_the_right_secret(api, client, sysadmin):
    registered = await register(api, sysadmin)
    for _ in range(10):
        assert (await token(client, headers=basic(registered["client_id"], "guess"))).status_code == 401

    held = await token(client, headers=basic(registered["client_id"], registered["client_secret"]))

    assert held.status_code == 429 and held.json()["code"] == "rate_limited"
    assert int(held.headers["retry-after"]) > 0


async def test_the_request_itself_must_be_well_formed(api, client, sysadmin):
    registered = await register(api, sysadmin)
    auth = basic(registered["client_id"], registered["client_secret"])

    other_grant = await client.post("/oauth/token", data={"grant_type": "password"}, headers=auth)
    no_grant = await client.post("/oauth/token", data={}, headers=auth)
    json_body = await client.post("/oauth/token", json={"grant_type": "client_credentials"}, headers=auth)
    twice = await client.post(
        "/oauth/token", content="grant_type=client_credentials&grant_type=client_credentials",
        headers={**auth, "Content-Type": "application/x-www-form-urlencoded"},
    )
    in_form_too = {"client_id": registered["client_id"], "client_secret": "x"}
    two_methods = await token(client, in_form_too, headers=auth)

    assert oauth_error(other_grant) == (400, "oauth.unsupported_grant_type", "unsupported_grant_type")
    assert oauth_error(no_grant) == (400, "oauth.invalid_request", "invalid_request")
    assert oauth_error(json_body) == (400, "oauth.invalid_request", "invalid_request")
    assert oauth_error(twice) == (400, "oauth.invalid_request", "invalid_request")
    assert oauth_error(two_methods) == (401, "oauth.invalid_client", "invalid_client")


# --- Scopes ----------------------------------------------------------------------------------------


async def test_a_client_narrows_its_token_to_some_of_its_scopes(api, probed, sysadmin):
    registered = await register(api, sysadmin)

    narrowed = await token_by_form(probed, registered, scope="events:subscribe")
    headers = as_bearer(narrowed)

    assert narrowed.json()["scope"] == "events:subscribe"
    assert (await probed.get("/probe/events", headers=headers)).status_code == 200
    refused = await probed.get("/probe/certificates", headers=headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "auth.insufficient_scope")


async def test_a_scope_unknown_or_not_granted_is_an_invalid_scope(api, client, sysadmin):
    registered = await register(api, sysadmin, scopes=["events:subscribe"])

    unknown = await token_by_form(client, registered, scope="events:subscribe ships:sink")
    not_granted = await token_by_form(client, registered, scope="certificates:write")

    assert oauth_error(unknown) == (400, "oauth.invalid_scope", "invalid_scope")
    assert oauth_error(not_granted) == (400, "oauth.invalid_scope", "invalid_scope")
    assert "certificates:write" in not_granted.json()["detail"]


async def test_a_scope_withdrawn_by_the_administrator_stops_at_once(api, probed, sysadmin):
    registered = await register(api, sysadmin)
    headers = as_bearer(await token_by_form(probed, registered))

    changed = await api.put(
        f"/admin/clients/{registered['id']}",
        json={"name": "上海海事局证照库", "responsible_unit": "信息中心", "scopes": ["certificates:write"]},
        headers=sysadmin,
    )

    assert changed.status_code == 200, changed.text
    assert (await probed.get("/probe/events", headers=headers)).status_code == 403
    assert (await probed.get("/probe/certificates", headers=headers)).status_code == 200


# --- private_key_jwt -------------------------------------------------------------------------------


async def test_a_client_signs_in_with_its_private_key_and_each_assertion_works_once(api, probed, sysadmin):
    pem, public = ec_key()
    registered = await register(api, sysadmin, secret=False, jwks={"keys": [public]})
    client_id = registered["client_id"]
    signed = assertion(pem, client_id)

    first = await token_by_assertion(probed, signed)
    replayed = await token_by_assertion(probed, signed)

    assert registered["client_secret"] is None and registered["key_ids"] == ["registry-2026"]
    assert (await probed.get("/probe/events", headers=as_bearer(first))).status_code == 200
    assert oauth_error(replayed) == (401, "oauth.invalid_client", "invalid_client")


async def test_the_token_issuer_is_an_audience_too_and_client_id_may_be_named(api, client, sysadmin):
    pem, public = ec_key()
    client_id = (await register(api, sysadmin, secret=False, jwks={"keys": [public]}))["client_id"]

    signed = assertion(pem, client_id, aud="msa-one-stop")

    issued = await token_by_assertion(client, signed, client_id=client_id)

    assert issued.status_code == 200, issued.text


@pytest.mark.parametrize(
    "what",
    ["wrong audience", "expired", "expiring too late", "no jti", "another subject", "key not registered",
     "unknown kid"],
)
async def test_an_assertion_that_does_not_check_out_is_refused(api, client, sysadmin, what):
    pem, public = ec_key()
    client_id = (await register(api, sysadmin, secret=False, jwks={"keys": [public]}))["client_id"]
    now = int(time.time())
    signed = {
        "wrong audience": lambda: assertion(pem, client_id, aud="https://elsewhere.example/oauth/token"),
        "expired": lambda: assertion(pem, client_id, iat=now - 600, exp=now - 300),
        "expiring too late": lambda: assertion(pem, client_id, exp=now + 3600),
        "no jti": lambda: assertion(pem, client_id, jti=None),
        "another subject": lambda: assertion(pem, client_id, sub=str(uuid.uuid4())),
        "key not registered": lambda: assertion(ec_key()[0], client_id),
        "unknown kid": lambda: assertion(pem, client_id, kid="other"),
    }[what]()

    refused = await token_by_assertion(client, signed, client_id=client_id)

    assert oauth_error(refused) == (401, "oauth.invalid_client", "invalid_client")


# --- Rotation, revocation, networks, rate limit --------------------------------------------------


async def test_rotating_the_secret_stops_the_old_secret_and_its_tokens_at_once(api, probed, sysadmin):
    registered = await register(api, sysadmin)
    old_token = as_bearer(await token_by_form(probed, registered))

    rotated = await api.post(f"/admin/clients/{registered['id']}/secret", headers=sysadmin)

    assert rotated.status_code == 200, rotated.text
    new = rotated.json()
    assert new["client_secret"] != registered["client_secret"] and new["credentials_version"] == 2
    assert (await probed.get("/probe/events", headers=old_token)).status_code == 401
    assert (await token_by_form(probed, registered)).status_code == 401
    new_token = as_bearer(await token_by_form(probed, new))
    assert (await probed.get("/probe/events", headers=new_token)).status_code == 200


async def test_revocation_is_immediate_and_final(api, probed, sysadmin):
    registered = await register(api, sysadmin)
    headers = as_bearer(await token_by_form(probed, registered))

    revoked = await api.post(f"/admin/clients/{registered['id']}/revoke", headers=sysadmin)

    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert (await probed.get("/probe/events", headers=headers)).status_code == 401
    assert oauth_error(await token_by_form(probed, registered))[0] == 401
    for again in (
        await api.post(f"/admin/clients/{registered['id']}/revoke", headers=sysadmin),
        await api.post(f"/admin/clients/{registered['id']}/secret", headers=sysadmin),
    ):
        assert (again.status_code, again.json()["code"]) == (409, "admin.client_revoked")


def from_address(app, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_a_client_is_served_only_from_its_networks(app, api, probed, sysadmin):
    registered = await register(api, sysadmin, allowed_sources=["203.0.113.0/24", "2001:db8::/32"])
    async with from_address(app, "203.0.113.9") as inside, from_address(app, "198.51.100.7") as outside:
        issued = await token_by_form(inside, registered)
        refused = await token_by_form(outside, registered)
        headers = as_bearer(issued)

        assert (await inside.get("/probe/events", headers=headers)).status_code == 200
        assert oauth_error(refused) == (401, "oauth.invalid_client", "invalid_client")
        elsewhere = await outside.get("/probe/events", headers=headers)
        assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "auth.client_source_not_allowed")


async def test_each_client_is_held_to_its_own_rate_limit(api, probed, sysadmin):
    limited = await register(api, sysadmin, rate_limit_per_minute=2)
    other = await register(api, sysadmin, name="广东海事局业务系统")
    headers = as_bearer(await token_by_form(probed, limited))
    other_headers = as_bearer(await token_by_form(probed, other))

    answers = [(await probed.get("/probe/events", headers=headers)).status_code for _ in range(3)]
    third = await probed.get("/probe/events", headers=headers)

    assert answers == [200, 200, 429]
    assert int(third.headers["retry-after"]) > 0 and third.json()["code"] == "rate_limited"
    assert (await probed.get("/probe/events", headers=other_headers)).status_code == 200


def test_the_client_routes_document_the_rate_limit():
    assert 429 in {error.status for error in CLIENT_ERRORS}


async def test_every_call_is_in_the_trail_as_the_clients_own(api, probed, session, sysadmin):
    registered = await register(api, sysadmin)
    headers = as_bearer(await token_by_form(probed, registered))

    await probed.get("/probe/events", headers=headers)

    events = (
        await session.scalars(select(AuditEvent).where(AuditEvent.actor_id == registered["id"]))
    ).all()
    calls = [event for event in events if event.event == "client.call"]
    assert [(event.outcome, event.detail) for event in calls] == [
        ("success", {"method": "GET", "route": "/probe/events"})
    ]
    tokens = [event.detail["method"] for event in events if event.event == "oauth.token"]
    assert tokens == ["client_secret_post"]
    registration = (
        await session.scalars(select(AuditEvent).where(AuditEvent.event == "admin.client_register"))
    ).one()
    assert registration.object_id == registered["id"] and "client_secret" not in str(registration.detail)


async def test_a_failed_sign_in_is_in_the_trail(api, client, session, sysadmin):
    registered = await register(api, sysadmin)

    await token(client, headers=basic(registered["client_id"], "guess"))

    failed = (await session.scalars(select(AuditEvent).where(AuditEvent.event == "oauth.token"))).one()
    assert (failed.outcome, failed.actor_id) == ("invalid_secret", registered["id"])


async def test_a_refused_call_is_in_the_trail_as_the_clients_own(api, probed, session, sysadmin):
    registered = await register(api, sysadmin, rate_limit_per_minute=1)
    headers = as_bearer(await token_by_form(probed, registered))

    await probed.get("/probe/events", headers=headers)
    limited = await probed.get("/probe/events", headers=headers)

    calls = (
        await session.scalars(
            select(AuditEvent)
            .where(AuditEvent.actor_id == registered["id"], AuditEvent.event == "client.call")
            .order_by(AuditEvent.id)
        )
    ).all()
    assert limited.status_code == 429
    assert [(event.outcome, event.detail.get("code")) for event in calls] == [
        ("success", None),
        ("refused", "rate_limited"),
    ]
