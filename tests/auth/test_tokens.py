"""Tokens: rotation, revocation, and the attacks that must all end in 401."""

import base64
import json
from datetime import timedelta

import pytest
from jose import jwt
from sqlalchemy import update

from app.auth.models import AuthSession
from app.core.db import utcnow
from app.core.security import ES256, InvalidToken, generate_es256_key, sign_token, verify_token
from tests.support.people import bearer, face_proof, password_login, register_citizen


async def _me(api, access_token):
    return await api.get("/me", headers={"Authorization": f"Bearer {access_token}"})


async def test_an_access_token_carries_the_standard_claims(api, settings):
    tokens = await password_login(api, "demo-corp")

    claims = jwt.get_unverified_claims(tokens["access_token"])

    assert {"iss", "aud", "exp", "iat", "jti", "sub", "role", "sid"} <= set(claims)
    assert claims["role"] == "corporate"
    assert claims["exp"] - claims["iat"] == 900


async def test_a_refresh_token_works_once_and_yields_a_new_pair(api):
    tokens = await password_login(api, "demo-corp")

    renewed = await api.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})

    assert renewed.status_code == 200
    assert renewed.json()["refresh_token"] != tokens["refresh_token"]
    assert (await _me(api, renewed.json()["access_token"])).status_code == 200


async def test_reusing_a_spent_refresh_token_revokes_the_whole_family(api):
    tokens = await password_login(api, "demo-corp")
    renewed = (await api.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})).json()

    reuse = await api.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})

    assert reuse.status_code == 401
    assert reuse.json()["code"] == "auth.refresh_token_reused"
    latest = await api.post("/auth/token/refresh", json={"refresh_token": renewed["refresh_token"]})
    assert latest.status_code == 401
    assert (await _me(api, renewed["access_token"])).status_code == 401


async def test_an_access_token_is_not_a_refresh_token(api):
    tokens = await password_login(api, "demo-corp")

    response = await api.post("/auth/token/refresh", json={"refresh_token": tokens["access_token"]})

    assert response.status_code == 401


async def test_logout_ends_the_session_at_once(api):
    tokens = await password_login(api, "demo-corp")

    assert (await api.post("/auth/logout", headers=bearer(tokens))).status_code == 204

    assert (await _me(api, tokens["access_token"])).json()["code"] == "auth.token_invalid"
    refresh = await api.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401


async def test_a_password_change_signs_out_every_device(api):
    person, first_device = await register_citizen(api)
    second_device = (
        await api.post("/auth/login/personal", json=await face_proof(api, person, "login"))
    ).json()
    proof = await face_proof(api, person, "change_password")

    changed = await api.put(
        "/me/password", json={**proof, "new_password": "NewHarbour#9"}, headers=bearer(first_device)
    )

    assert changed.status_code == 204
    for device in (first_device, second_device):
        assert (await _me(api, device["access_token"])).status_code == 401


def _forge(
    token: str, *, header: dict | None = None, claims: dict | None = None, signature: str | None = None
):
    head, body, sig = token.split(".")
    decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # noqa: E731
    encode = lambda obj: base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")  # noqa: E731
    new_head = encode({**decode(head), **(header or {})})
    new_body = encode({**decode(body), **(claims or {})})
    return f"{new_head}.{new_body}.{sig if signature is None else signature}"


async def test_forged_tokens_are_all_refused(api, settings):
    tokens = await password_login(api, "demo-corp")
    token = tokens["access_token"]
    claims = jwt.get_unverified_claims(token)
    staff = await password_login(api, "demo-sysadmin")
    attacks = {
        "alg none": _forge(token, header={"alg": "none"}, signature=""),
        "tampered sub": _forge(token, claims={"sub": staff["user"]["id"]}),
        "tampered role": _forge(token, claims={"role": "sysadmin"}),
        "wrong key": jwt.encode(claims, "another-key-of-sufficient-length-0123456789", algorithm="HS256"),
        "expired": jwt.encode(
            {**claims, "exp": int((utcnow() - timedelta(minutes=1)).timestamp())},
            settings.secret_key.get_secret_value(),
            algorithm="HS256",
        ),
        "other audience": jwt.encode(
            {**claims, "aud": "someone-else"}, settings.secret_key.get_secret_value(), algorithm="HS256"
        ),
        **{
            f"no {claim}": jwt.encode(
                {k: v for k, v in claims.items() if k != claim},
                settings.secret_key.get_secret_value(),
                algorithm="HS256",
            )
            for claim in ("exp", "aud", "iss")
        },
        "garbage": "not.a.token",
    }
    for name, forged in attacks.items():
        response = await _me(api, forged)
        assert response.status_code == 401, name
        assert response.json()["code"] == "auth.token_invalid", name


@pytest.mark.parametrize("claim", ["exp", "aud", "iss"])
def test_a_token_without_expiry_audience_or_issuer_is_never_accepted_whoever_signed_it(claim):
    """Access, refresh and binding tokens (HS256) and 亮证 codes (ES256) all go through one check."""
    pem, public_jwk = generate_es256_key()
    claims = {"iss": "msa-one-stop", "aud": "msa-one-stop-api", "sub": "x", "exp": 4102444800}
    checks = {"algorithms": [ES256], "audience": "msa-one-stop-api", "issuer": "msa-one-stop"}

    assert verify_token(sign_token(claims, pem, ES256), public_jwk, **checks)["sub"] == "x"
    stripped = sign_token({k: v for k, v in claims.items() if k != claim}, pem, ES256)
    with pytest.raises(InvalidToken):
        verify_token(stripped, public_jwk, **checks)


async def test_an_expired_session_ends_its_tokens(api, session):
    tokens = await password_login(api, "demo-corp")
    sid = jwt.get_unverified_claims(tokens["access_token"])["sid"]
    await session.execute(update(AuthSession).where(AuthSession.id == sid).values(expires_at=utcnow()))

    assert (await _me(api, tokens["access_token"])).status_code == 401


async def test_without_a_token_the_profile_asks_to_sign_in(api):
    response = await api.get("/me")

    assert response.status_code == 401
    assert response.json()["code"] == "auth.not_authenticated"
    assert response.json()["title"] == "请先登录"
