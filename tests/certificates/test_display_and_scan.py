"""亮证 and 执法人员扫码: a seafarer shows a certificate as a QR code and an officer scans it.

Forged tokens are made with joserfc, a JOSE library the application does not use, and
genuine tokens are verified with it offline, from the JWKS document alone.
"""

import base64
import hashlib
import hmac
import json
import time

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import ECKey, KeySet
from sqlalchemy import func, select

from app.certificates import signing_keys
from app.certificates.models import Certificate, CertificateScan, DisplaySigningKey
from app.core.db import utcnow
from tests.support import qr
from tests.support.certificates import COC, issue_document, scan, signed_in


@pytest.fixture
async def officer(api) -> dict:
    return await signed_in(api, "demo-officer")


def _b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _parts(token: str) -> tuple[dict, dict]:
    header, payload, _ = token.split(".")
    return tuple(json.loads(base64.urlsafe_b64decode(part + "==")) for part in (header, payload))


async def _offline_claims(client, token: str) -> dict:
    """What an officer's device does without the API: the JWKS document and a JOSE library."""
    jwks = (await client.get("/.well-known/jwks.json")).json()
    verified = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["ES256"])
    jwt.JWTClaimsRegistry(
        exp={"essential": True}, aud={"essential": True, "value": "msa-certificate-display"}
    ).validate(verified.claims)
    return verified.claims


async def _scan_results(session) -> list[str]:
    rows = await session.scalars(select(CertificateScan.result).order_by(CertificateScan.scanned_at))
    return list(rows)


async def test_a_seafarer_shows_a_certificate_and_the_officer_scans_it(api, seafarer, officer):
    coc = await seafarer.certificate(api, COC)
    shown = await seafarer.show(api, coc["id"])

    response = await scan(api, officer, shown["token"])

    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["type"]["code"] == COC and seen["number"] == coc["number"]
    # The full name, to compare with the person in front of the officer.
    assert seen["holder_name"] == seafarer.person["name"] != coc["holder_name"]
    assert seen["status"]["code"] == "valid" and seen["agency"]["name"] == "上海海事局"
    assert seen["issued_on"] == coc["issued_on"] and seen["expires_on"] == coc["expires_on"]
    assert {f["label"]: f["value"] for f in seen["fields"]}["职务"] == "大副"
    assert seen["scanned_at"].endswith("+08:00")
    history = (await seafarer.certificate(api, COC))["scans"]
    assert [(s["agency"]["code"], s["result"]["code"]) for s in history] == [("SH", "verified")]


SCAN_KEYS = {
    "type", "title", "number", "holder_name", "agency", "issued_on", "expires_on", "status", "fields", "photo",
    "scanned_at",
}


async def test_an_officer_sees_what_checking_needs_and_no_birth_date_or_other_personal_details(
    api, seafarer, officer
):
    coc = await seafarer.certificate(api, COC)
    everything = {f["key"] for f in coc["fields"]}
    assert {"birth_date", "gender", "nationality", "capacity"} <= everything

    seen = (await scan(api, officer, (await seafarer.show(api, coc["id"]))["token"])).json()

    assert set(seen) == SCAN_KEYS
    assert [f["key"] for f in seen["fields"]] == [
        key
        for key in ("department", "capacity", "grade", "navigation_area", "limitations")
        if key in everything
    ]
    birth_date = next(f["value"] for f in coc["fields"] if f["key"] == "birth_date")
    assert birth_date not in json.dumps(seen, ensure_ascii=False)
    assert seafarer.person["id_number"] not in json.dumps(seen)


async def test_a_scanned_seamans_book_shows_no_health_training_or_service_records(api, session, seafarer, officer):
    book = Certificate(
        holder_id=seafarer.user_id,
        holder_name=seafarer.person["name"],
        holder_is_person=True,
        type_code="SEAMANS_BOOK",
        title="船员服务簿",
        number=f"SB{time.time_ns() % 10**12:012d}",
        agency_code="SH",
        issued_on=utcnow().date(),
        expires_on=None,
        fields={
            "registration": "注册号 310000000001",
            "service_record": "2024-01 至 2025-06 “海港明珠”轮 大副",
            "training_record": "基本安全培训 Z01",
            "medical_record": "2025-03 体检合格，色弱",
        },
    )
    session.add(book)
    await session.flush()

    seen = (await scan(api, officer, (await seafarer.show(api, book.id))["token"])).json()

    assert set(seen) == SCAN_KEYS
    assert seen["type"]["code"] == "SEAMANS_BOOK" and seen["holder_name"] == seafarer.person["name"]
    assert seen["fields"] == []
    for record in book.fields.values():
        assert record not in json.dumps(seen, ensure_ascii=False)


async def test_the_display_token_is_a_two_minute_es256_jws_with_a_qr_code(api, seafarer):
    coc = await seafarer.certificate(api, COC)

    first, second = await seafarer.show(api, coc["id"]), await seafarer.show(api, coc["id"])

    header, claims = _parts(first["token"])
    assert header["alg"] == "ES256" and header["kid"] == first["key_id"]
    assert claims["exp"] - claims["iat"] == first["expires_in"] == 120
    assert claims["sub"] == coc["id"] and claims["certificate_no"] == coc["number"]
    assert claims["certificate_type"] == COC and claims["holder"] == coc["holder_name"]
    assert (claims["issued_on"], claims["expires_on"]) == (coc["issued_on"], coc["expires_on"])
    assert claims["nonce"] != _parts(second["token"])[1]["nonce"]
    assert qr.encodes(qr.data_uri(first["qr_svg"]), first["token"])
    assert first["expires_at"].endswith("+08:00")


async def test_a_token_verifies_offline_with_only_the_jwks(client, api, seafarer):
    coc = await seafarer.certificate(api, COC)
    shown = await seafarer.show(api, coc["id"])

    claims = await _offline_claims(client, shown["token"])

    assert claims["certificate_no"] == coc["number"] and claims["holder"] == coc["holder_name"]
    jwks = (await client.get("/.well-known/jwks.json")).json()
    (key,) = [k for k in jwks["keys"] if k["kid"] == shown["key_id"]]
    assert ECKey.import_key(key).thumbprint() == key["kid"]  # RFC 7638
    assert "d" not in key
    header, _, signature = shown["token"].split(".")
    tampered = ".".join((header, _b64({**claims, "holder": "李*"}), signature))
    with pytest.raises(BadSignatureError):
        await _offline_claims(client, tampered)


async def test_the_jwks_sits_at_the_root_and_may_be_cached_briefly(client):
    response = await client.get("/.well-known/jwks.json")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"
    (key,) = response.json()["keys"]
    assert {key["kty"], key["crv"], key["alg"], key["use"]} == {"EC", "P-256", "ES256", "sig"}
    assert (await client.get("/api/v1/.well-known/jwks.json")).status_code == 404


def _forged(kind: str, genuine: str, kid: str) -> str:
    header, claims = _parts(genuine)
    stranger = ECKey.generate_key("P-256")
    if kind == "tampered":
        head, _, signature = genuine.split(".")
        return ".".join((head, _b64({**claims, "certificate_no": "JSH1122020000001"}), signature))
    if kind == "foreign key under our kid":
        return jwt.encode({"alg": "ES256", "kid": kid}, claims, stranger)
    if kind == "foreign key":
        return jwt.encode({"alg": "ES256", "kid": stranger.thumbprint()}, claims, stranger)
    if kind == "alg none":
        return ".".join((_b64({"alg": "none", "kid": kid}), _b64(claims), ""))
    if kind == "HS256 keyed with the public key":
        signing_input = f"{_b64({'alg': 'HS256', 'kid': kid})}.{_b64(claims)}"
        secret = json.dumps(header).encode()
        return f"{signing_input}.{_b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"
    if kind == "no kid":
        return jwt.encode({"alg": "ES256"}, claims, stranger)
    return "not-a-token"


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("tampered", "certificate.token_invalid"),
        ("foreign key under our kid", "certificate.token_invalid"),
        ("alg none", "certificate.token_invalid"),
        ("HS256 keyed with the public key", "certificate.token_invalid"),
        ("garbage", "certificate.token_invalid"),
        ("foreign key", "certificate.token_unknown_key"),
        ("no kid", "certificate.token_unknown_key"),
    ],
)
async def test_a_forged_token_is_refused_and_the_attempt_recorded(
    api, session, seafarer, officer, kind, code
):
    coc = await seafarer.certificate(api, COC)
    shown = await seafarer.show(api, coc["id"])

    response = await scan(api, officer, _forged(kind, shown["token"], shown["key_id"]))

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["title"])
    assert await _scan_results(session) == [code.removeprefix("certificate.")]
    assert (await seafarer.certificate(api, COC))["scans"] == []  # nothing genuine was scanned


async def test_an_expired_token_is_refused_with_its_own_code(app, api, session, seafarer, officer):
    coc = await seafarer.certificate(api, COC)
    _, claims = _parts((await seafarer.show(api, coc["id"]))["token"])
    key = await signing_keys.active_key(session, app.state.pii)
    now = int(time.time())
    expired = jwt.encode(
        {"alg": "ES256", "kid": key.kid},
        {**claims, "iat": now - 180, "exp": now - 60},
        ECKey.import_key(key.private_pem),
    )

    response = await scan(api, officer, expired)

    assert response.status_code == 422
    assert response.json()["code"] == "certificate.token_expired"
    assert await _scan_results(session) == ["token_expired"]


async def test_a_revoked_certificate_fails_the_scan_and_cannot_be_shown_again(
    api, session, seafarer, officer
):
    coc = await seafarer.certificate(api, COC)
    shown = await seafarer.show(api, coc["id"])
    (await session.get(Certificate, coc["id"])).revoked_at = utcnow()
    await session.flush()

    scanned = await scan(api, officer, shown["token"])
    again = await api.post(f"/me/certificates/{coc['id']}/display-token", headers=seafarer.headers)

    assert scanned.status_code == again.status_code == 409
    assert scanned.json()["code"] == again.json()["code"] == "certificate.revoked"
    detail = await seafarer.certificate(api, COC)
    assert detail["status"]["code"] == "revoked" and detail["allowed_actions"] == []
    assert [s["result"]["label"] for s in detail["scans"]] == ["证照已注销"]


@pytest.mark.parametrize("username", ["demo-staff", "demo-corp", "demo-auditor"])
async def test_only_officers_may_scan(api, session, seafarer, username):
    shown = await seafarer.show(api, (await seafarer.certificate(api, COC))["id"])

    response = await scan(api, await signed_in(api, username), shown["token"])

    assert response.status_code == 403
    assert response.json()["code"] == "auth.forbidden"
    assert await _scan_results(session) == []


async def test_the_holder_cannot_scan_their_own_code(api, seafarer):
    shown = await seafarer.show(api, (await seafarer.certificate(api, COC))["id"])

    response = await scan(api, seafarer.headers, shown["token"])

    assert response.status_code == 403


async def test_a_result_document_cannot_be_shown(api, session, seafarer):
    document = await issue_document(session, seafarer.user_id, "TH-2026-000999", utcnow())

    response = await api.post(f"/me/certificates/{document.id}/display-token", headers=seafarer.headers)

    assert response.status_code == 409
    assert response.json()["code"] == "certificate.not_displayable"


async def test_after_a_key_rotation_codes_already_shown_still_verify_until_they_expire(
    app, client, api, session, seafarer, officer
):
    coc = await seafarer.certificate(api, COC)
    before = await seafarer.show(api, coc["id"])

    retired, active = await signing_keys.rotate(session, app.state.pii)
    after = await seafarer.show(api, coc["id"])

    assert retired == before["key_id"] and active == after["key_id"] != retired
    jwks = (await client.get("/.well-known/jwks.json")).json()
    assert [key["kid"] for key in jwks["keys"]] == [active, retired]
    for shown in (before, after):
        assert (await scan(api, officer, shown["token"])).status_code == 200
        assert (await _offline_claims(client, shown["token"]))["sub"] == coc["id"]


async def test_a_retired_key_leaves_the_jwks_once_its_tokens_have_expired(
    app, client, api, session, seafarer, officer
):
    coc = await seafarer.certificate(api, COC)
    before = await seafarer.show(api, coc["id"])
    await signing_keys.rotate(session, app.state.pii)
    retired = await session.get(DisplaySigningKey, before["key_id"])
    retired.retired_at = utcnow() - signing_keys.RETIRED_KEY_PUBLISHED_FOR
    await session.flush()

    jwks = (await client.get("/.well-known/jwks.json")).json()
    response = await scan(api, officer, before["token"])

    assert before["key_id"] not in [key["kid"] for key in jwks["keys"]] and len(jwks["keys"]) == 1
    assert response.status_code == 422
    assert response.json()["code"] == "certificate.token_unknown_key"


async def test_signing_keys_are_encrypted_at_rest_and_a_retired_key_loses_its_private_half(
    app, api, session, seafarer
):
    shown = await seafarer.show(api, (await seafarer.certificate(api, COC))["id"])
    stored = await session.get(DisplaySigningKey, shown["key_id"])
    assert b"PRIVATE KEY" not in stored.private_key_encrypted

    await signing_keys.rotate(session, app.state.pii)

    assert stored.private_key_encrypted is None and stored.active is None
    assert await session.scalar(select(func.count()).where(DisplaySigningKey.active.is_(True))) == 1
