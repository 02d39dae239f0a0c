"""Who may open which list: every protected collection against every kind of caller.

The exact outcome per role, not just "not 200": 401 without a token, 403 for a role the
route is not for, 200 otherwise. Object-level checks (another user's item → 404) are tested
with each domain.
"""

import json

import pytest

from tests.support.database import REPO_ROOT
from tests.support.people import bearer, password_login, register_citizen

ADMINS = ("sysadmin", "secadmin", "auditor")
APPLICANT = {"anonymous": 401, "personal": 200, "corporate": 200, "officer": 403, "staff": 403} | {
    admin: 403 for admin in ADMINS
}
ANYONE_SIGNED_IN = {role: 200 for role in APPLICANT} | {"anonymous": 401}
STAFF_ONLY = {**APPLICANT, "personal": 403, "corporate": 403, "staff": 200}
CORPORATE_ONLY = {**APPLICANT, "personal": 403}

MATRIX = {
    "/me": ANYONE_SIGNED_IN,
    "/me/messages": ANYONE_SIGNED_IN,
    "/me/consents": ANYONE_SIGNED_IN,
    "/me/export": ANYONE_SIGNED_IN,
    "/me/messages/unread-count": ANYONE_SIGNED_IN,
    "/me/applications": APPLICANT,
    "/me/materials": APPLICANT,
    "/me/materials/quota": APPLICANT,
    "/me/evaluations": APPLICANT,
    "/me/ships": CORPORATE_ONLY,
    "/staff/applications": STAFF_ONLY,
    "/staff/corrections": STAFF_ONLY,
    "/staff/evaluations": STAFF_ONLY,
}


@pytest.fixture
async def callers(api) -> dict[str, dict]:
    _, citizen = await register_citizen(api)
    signed_in = {"personal": bearer(citizen)}
    for role, username in (
        ("corporate", "demo-corp"),
        ("officer", "demo-officer"),
        ("staff", "demo-staff-sh"),
        *((admin, f"demo-{admin}") for admin in ADMINS),
    ):
        signed_in[role] = bearer(await password_login(api, username))
    return {"anonymous": {}, **signed_in}


def test_the_matrix_covers_every_protected_collection_of_the_contract():
    spec = json.loads((REPO_ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    protected = {
        path.removeprefix("/api/v1")
        for path, operations in spec["paths"].items()
        if "{" not in path and operations.get("get", {}).get("security")
    }
    covered = set(MATRIX) | {"/me/certificates", "/me/corrections"}  # certificates: tests/certificates

    assert protected == covered


async def test_each_caller_gets_exactly_what_their_role_allows(api, callers):
    outcomes = {
        (path, role): (await api.get(path, headers=headers)).status_code
        for path in MATRIX
        for role, headers in callers.items()
    }

    expected = {(path, role): status for path, roles in MATRIX.items() for role, status in roles.items()}
    assert outcomes == expected
