"""What the authority's registry pushes (PUT /registry/certificates/{registry_id}) in tests."""

import copy

from app.core.auth import Scope
from tests.support.clients import registered_client

COC_FIELDS = {
    "gender": "男",
    "birth_date": "1990-01-01",
    "nationality": "中国",
    "department": "甲板部",
    "capacity": "大副",
    "grade": "3000总吨及以上",
    "navigation_area": "无限航区",
    "limitations": "无",
}


def coc_push(person: dict, *, number: str = "JSH1122026000001", version: int = 1, status: str = "valid", **changes) -> dict:
    """A 海船船员适任证书 of ``person`` (name and ID number) as the registry pushes it."""
    body = {
        "source_version": version,
        "type_code": "SEAFARER_COC_SEA",
        "number": number,
        "status": status,
        "agency_code": "SH",
        "holder": {"kind": "person", "name": person["name"], "id_number": person["id_number"]},
        "issued_on": "2025-03-01",
        "expires_on": "2030-02-28",
        "fields": copy.deepcopy(COC_FIELDS),
    }
    return body | changes


async def registry_client(session, settings, scopes=(Scope.certificates_write,)) -> dict:
    """The ``Authorization`` header of the authority's registry (a machine client of SH)."""
    _, headers = await registered_client(session, settings, scopes=scopes, name="船员证书管理系统")
    # Kept when a refused push rolls its request back (the test's outer transaction still ends it).
    await session.commit()
    return headers


async def push(api, headers: dict, registry_id: str, body: dict):
    return await api.put(f"/registry/certificates/{registry_id}", json=body, headers=headers)


# The certificate the authorization matrix's world has the registry push (and pushes again).
MATRIX_REGISTRY_ID = "MATRIX-COC-1"
MATRIX_PUSH = coc_push({"name": "赵航", "id_number": "310115198808081237"}, number="JSH1122026999999")
