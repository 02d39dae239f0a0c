"""联系人（选填，默认为申请账号/账号手机号）: left empty, the contact is the account's at 提交;
editing never erases a stored contact the client did not send back."""

from tests.support.applying import decide, filled_draft
from tests.support.people import register_company


def _without_contact(draft: dict) -> dict:
    return {k: v for k, v in draft.items() if k not in ("contact_name", "contact_phone")}


async def test_a_company_that_leaves_the_contact_empty_is_reached_through_its_operator(api):
    registration, tokens = await register_company(api)
    company = {"Authorization": f"Bearer {tokens['access_token']}"}
    draft = _without_contact(await filled_draft(api, company, "WF-002"))
    saved = await api.post("/applications", json={**draft, "contact_name": None}, headers=company)
    assert saved.status_code == 201, saved.text
    assert saved.json()["contact_name"] is None

    submitted = await api.post(f"/applications/{saved.json()['id']}/submit", headers=company)

    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["contact_name"] == registration["operator_name"]
    phone = registration["contact_phone"]
    assert submitted.json()["contact_phone"] == phone[:3] + "****" + phone[-4:]
    progress = await api.post(
        "/public/progress", json={"application_no": submitted.json()["number"], "phone": phone}
    )
    assert progress.status_code == 200, progress.text


async def test_editing_after_a_supplement_request_keeps_the_contact_phone(api, corp, staff):
    draft = await filled_draft(api, corp, "TH-001")
    draft["contact_phone"] = "13912345678"
    created = (await api.post("/applications", json=draft, headers=corp)).json()
    submitted = (await api.post(f"/applications/{created['id']}/submit", headers=corp)).json()
    supplement = await decide(
        api,
        staff,
        submitted,
        "request_supplement",
        comment="请补充材料",
        supplement_items=[{"target": "material", "key": "approval_documents", "reason": "批准文件已过期"}],
    )

    # The client shows the masked phone and sends back only what the user may change.
    edited = await api.put(
        f"/applications/{created['id']}",
        json={k: v for k, v in _without_contact(draft).items() if k != "item_code"},
        headers={**corp, "If-Match": str(supplement["version"])},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["contact_phone"] == "139****5678"
    assert edited.json()["contact_name"] == draft["contact_name"]
    resubmitted = await api.post(f"/applications/{created['id']}/submit", headers=corp)
    assert resubmitted.status_code == 200, resubmitted.text

    progress = await api.post(
        "/public/progress", json={"application_no": submitted["number"], "phone": "13912345678"}
    )
    assert progress.status_code == 200, progress.text
    assert progress.json()["status"]["code"] == "submitted"


async def test_a_contact_changed_on_edit_replaces_the_stored_one(api, corp):
    draft = await filled_draft(api, corp, "TH-001")
    created = (await api.post("/applications", json=draft, headers=corp)).json()

    edited = await api.put(
        f"/applications/{created['id']}",
        json={"contact_name": "李江", "contact_phone": "13700001111"},
        headers=corp,
    )

    assert edited.json()["contact_name"] == "李江"
    assert edited.json()["contact_phone"] == "137****1111"
