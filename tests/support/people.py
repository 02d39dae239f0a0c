"""Test people with valid identifiers, and the sign-in steps of the manual as helpers."""

import itertools
import random
import time

import pyotp

from app.core.identifiers import credit_code_check_character, id_card_check_digit
from app.demo import DEMO_SHIPS, DEMO_TOTP_SECRET
from app.privacy.texts import TEXTS, ConsentPurpose

_serial = itertools.count(random.randrange(100, 900))
_SURNAMES = "张王李赵刘陈杨黄周吴"
_GIVEN = "海明涛洋帆航舟波江远"


def citizen() -> dict:
    """A fresh person: name, a valid 18-digit ID number and a mainland mobile."""
    n = next(_serial)
    first17 = f"310115{1970 + n % 30}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    name = random.choice(_SURNAMES) + random.choice(_GIVEN) + random.choice(_GIVEN)
    return {
        "name": name,
        "id_number": first17 + id_card_check_digit(first17),
        "phone": f"139{n % 100_000_000:08d}",
    }


def credit_code() -> str:
    first17 = f"91310115{next(_serial) % 1_000_000:06d}MA1"
    return first17 + credit_code_check_character(first17)


STRONG_PASSWORD = "Harbour#2026"


def corporate_registration(**overrides) -> dict:
    """The body of 法人注册 for a new ship operator (kind ``ship``), its operator a fresh person."""
    operator = citizen()
    return {
        "company_name": "上海示例船务有限公司",
        "credit_code": credit_code(),
        "kind": "ship",
        "operator_name": operator["name"],
        "operator_id_number": operator["id_number"],
        "contact_phone": operator["phone"],
        "username": f"ship{operator['phone'][-6:]}",
        "password": STRONG_PASSWORD,
        **overrides,
    }


def consent(purpose: ConsentPurpose) -> dict:
    """Agreement to the current text of ``purpose``, as the mini program sends it after 同意."""
    return {"purpose": purpose, "version": TEXTS[purpose].version}


FACE_CONSENT = consent(ConsentPurpose.face_verification)
IDENTITY_DOCUMENTS_CONSENT = consent(ConsentPurpose.identity_documents)


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def face_proof(api, person: dict, purpose: str, verify_result: str = "fake:pass") -> dict:
    response = await api.post(
        "/auth/face/sessions",
        json={
            "purpose": purpose,
            "name": person["name"],
            "id_number": person["id_number"],
            "method": "reflective",
            "consent": FACE_CONSENT,
        },
    )
    assert response.status_code == 201, response.text
    return {"face_session_id": response.json()["face_session_id"], "verify_result": verify_result}


async def register_citizen(api, person: dict | None = None, **extra) -> tuple[dict, dict]:
    person = person or citizen()
    proof = await face_proof(api, person, "register")
    response = await api.post(
        "/auth/register/personal", json={**person, "password": STRONG_PASSWORD, **proof, **extra}
    )
    assert response.status_code == 201, response.text
    return person, response.json()


def totp_code(secret: str = DEMO_TOTP_SECRET, *, steps_ahead: int = 0) -> str:
    """The authenticator's code now (or ``steps_ahead`` 30-second steps later, within the drift)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


# Secrets of accounts the helpers enrolled (tests roll back, so a username may enrol again).
_enrolled_secrets: dict[str, str] = {}


async def password_login(api, username: str, password: str = "Demo@12345") -> dict:
    """Signs in; officers, staff and admins complete the second factor: demo accounts with the
    demo secret, new accounts by enrolling an authenticator on their first sign-in."""
    response = await api.post("/auth/login/password", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    if not body.get("second_factor_required"):
        return body
    if not body["enrolled"]:
        _enrolled_secrets[username], tokens = await enrol_second_factor(api, body["ticket"])
        return tokens
    return await second_factor_login(api, body["ticket"], _enrolled_secrets.get(username, DEMO_TOTP_SECRET))


def enrolled_secret(username: str) -> str:
    """The authenticator secret :func:`password_login` enrolled for ``username``."""
    return _enrolled_secrets[username]


async def second_factor_login(api, ticket: str, secret: str = DEMO_TOTP_SECRET) -> dict:
    # Each code works once per account; a second sign-in in the same 30 seconds uses the next one.
    for steps_ahead in (0, 1):
        response = await api.post(
            "/auth/login/second-factor",
            json={"ticket": ticket, "code": totp_code(secret, steps_ahead=steps_ahead)},
        )
        if response.status_code != 401 or response.json()["code"] != "auth.second_factor_replayed":
            break
    assert response.status_code == 200, response.text
    return response.json()


async def enrol_second_factor(api, ticket: str) -> tuple[str, dict]:
    """First sign-in of a privileged account: take the offered secret, confirm it with a code.
    Returns the secret and the tokens (which carry the recovery codes)."""
    offer = await api.post("/auth/second-factor/enrolment", json={"ticket": ticket})
    assert offer.status_code == 200, offer.text
    secret = offer.json()["secret"]
    confirmed = await api.post(
        "/auth/second-factor/enrolment/confirm", json={"ticket": ticket, "code": totp_code(secret)}
    )
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()


async def register_company(api, operator: dict | None = None) -> tuple[dict, dict]:
    """法人注册 of a fresh company with the demo ships, so it can submit every example form;
    ``operator`` (经办人) is the person whose face stands for the account."""
    operator = operator or citizen()
    registration = corporate_registration(
        kind="company",
        operator_name=operator["name"],
        operator_id_number=operator["id_number"],
        contact_phone=operator["phone"],
        username=f"co{operator['phone'][-6:]}",
    )
    response = await api.post("/auth/register/corporate", json=registration)
    assert response.status_code == 201, response.text
    tokens = response.json()
    for ship in DEMO_SHIPS:
        added = await api.post("/me/ships", json=ship, headers=bearer(tokens))
        assert added.status_code == 201, added.text
    return registration, tokens


# The demo account of each operator-created or corporate role (seeded in development).
DEMO_ACCOUNTS = {
    "corporate": "demo-corp",
    "officer": "demo-officer",
    "staff": "demo-staff",
    "sysadmin": "demo-sysadmin",
    "secadmin": "demo-secadmin",
    "auditor": "demo-auditor",
}


async def sign_in_as(api, role: str) -> dict:
    """Tokens of a caller in ``role``: a newly registered citizen, or the role's demo account."""
    if role == "personal":
        return (await register_citizen(api))[1]
    return await password_login(api, DEMO_ACCOUNTS[role])
