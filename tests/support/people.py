"""Test people with valid identifiers, and the sign-in steps of the manual as helpers."""

import itertools
import random

from app.core.identifiers import credit_code_check_character, id_card_check_digit

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


async def password_login(api, username: str, password: str = "Demo@12345") -> dict:
    response = await api.post("/auth/login/password", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


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
