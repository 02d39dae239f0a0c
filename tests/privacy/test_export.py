"""导出我的数据 (PIPL art. 45): all my data, unmasked, and nobody else's."""

import json

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.support.applying import decide, login, submitted_application
from tests.support.people import (
    IDENTITY_DOCUMENTS_CONSENT,
    bearer,
    register_citizen,
    register_company,
)


async def _export(api, headers: dict) -> dict:
    response = await api.get("/me/export", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_citizen_downloads_all_their_data_unmasked_as_a_json_file(api):
    person, tokens = await register_citizen(api)
    headers = bearer(tokens)
    await api.post("/me/consents", json=IDENTITY_DOCUMENTS_CONSENT, headers=headers)

    response = await api.get("/me/export", headers=headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith('attachment; filename="my-data-')
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert data["profile"]["personal"] == {"name": person["name"], "id_number": person["id_number"]}
    assert data["profile"]["phone"] == person["phone"]
    assert {c["type"]["code"] for c in data["certificates"]} == {"SEAFARER_COC_SEA", "SEAFARER_PASSPORT"}
    # The face consent given at registration belongs to the account it registered.
    assert [c["purpose"]["code"] for c in data["consents"]] == ["identity_documents", "face_verification"]
    assert [e["event"]["code"] for e in data["account_events"]][-1] == "auth.register"


async def test_the_export_holds_nothing_of_another_user(api):
    me, my_tokens = await register_citizen(api)
    other, other_tokens = await register_citizen(api)
    await _export(api, bearer(other_tokens))

    text = json.dumps(await _export(api, bearer(my_tokens)), ensure_ascii=False)

    assert me["id_number"] in text
    assert other["id_number"] not in text and other["phone"] not in text
    assert other_tokens["user"]["id"] not in text


async def test_a_company_export_holds_its_applications_with_timeline_notices_and_materials(api):
    registration, tokens = await register_company(api)
    headers = bearer(tokens)
    application = await submitted_application(api, headers, "WF-002")
    await decide(api, await login(api, "demo-staff-sh"), application, "accept")

    data = await _export(api, headers)

    (exported,) = data["applications"]
    assert exported["id"] == application["id"]
    assert [e["action"]["code"] for e in exported["timeline"]] == ["submit", "accept"]
    assert [n["kind"]["code"] for n in exported["notices"]]
    assert exported["contact_phone"] == "13800138000"
    assert {m["material"]["id"] for m in exported["materials"]} == {m["id"] for m in data["materials"]}
    assert data["profile"]["corporate"]["operator_id_number"] == registration["operator_id_number"]
    assert {"ships", "corrections", "messages", "evaluations"} <= data.keys()
    assert data["messages"]


@pytest.mark.parametrize("username", ["demo-staff-sh", "demo-sysadmin"])
async def test_staff_and_administrators_export_only_their_own_account(api, username):
    registration, tokens = await register_company(api)
    application = await submitted_application(api, bearer(tokens), "WF-002")
    staff = await login(api, username)
    if username == "demo-staff-sh":
        await decide(api, staff, application, "accept")

    data = await _export(api, staff)

    assert data["profile"]["username"] == username
    assert data["applications"] == [] and data["materials"] == [] and data["certificates"] == []
    assert registration["operator_name"] not in json.dumps(data, ensure_ascii=False)


async def test_every_export_is_audited_without_personal_data(api, session):
    _, tokens = await register_citizen(api)

    await _export(api, bearer(tokens))

    (event,) = await session.scalars(
        select(AuditEvent).where(
            AuditEvent.event == "account.export", AuditEvent.actor_id == tokens["user"]["id"]
        )
    )
    assert event.outcome == "success" and event.detail is None


async def test_exports_are_limited_per_account_and_hour(api, settings):
    _, tokens = await register_citizen(api)
    headers = bearer(tokens)
    for _ in range(settings.data_exports_per_hour):
        await _export(api, headers)

    response = await api.get("/me/export", headers=headers)

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and int(response.headers["retry-after"]) > 0
