"""在线办理 (manual §3.4) end to end: each online item of the data through its whole flow."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.support.applying import ONLINE_ITEMS, decide, filled_draft, online_item, submitted_application


@pytest.mark.parametrize("item_code", ONLINE_ITEMS)
async def test_save_edit_submit_and_the_cancel_or_withdraw_of_the_manual(api, corp, item_code):
    item = await online_item(api, item_code)
    draft = await filled_draft(api, corp, item_code)

    saved = await api.post("/applications", json={**draft, "form": {}}, headers=corp)  # 保存 an empty form
    assert saved.status_code == 201
    application = saved.json()
    assert application["status"] == {"code": "draft", "label": "待提交"}
    assert application["number"] is None
    assert set(application["allowed_actions"]) == {"edit", "submit", "discard"}

    edited = await api.put(
        f"/applications/{application['id']}",
        json={k: v for k, v in draft.items() if k != "item_code"},
        headers={**corp, "If-Match": str(application["version"])},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["form"] == item["example"]

    submitted = (await api.post(f"/applications/{application['id']}/submit", headers=corp)).json()
    assert submitted["status"]["label"] == "待受理"
    assert re.fullmatch(r"HS\d{14}", submitted["number"])
    after = item["after_submit"]
    assert submitted["allowed_actions"] == [after]

    undone = (await api.post(f"/applications/{application['id']}/{after}", headers=corp)).json()
    assert undone["status"]["code"] == {"cancel": "cancelled", "withdraw": "withdrawn"}[after]
    assert {"edit", "submit"} <= set(undone["allowed_actions"])

    again = (await api.post(f"/applications/{application['id']}/submit", headers=corp)).json()
    assert again["status"]["code"] == "submitted"
    assert again["number"] == submitted["number"]
    assert [e["action"]["label"] for e in again["timeline"]] == [
        "提交",
        {"cancel": "取消", "withdraw": "撤回"}[after],
        "提交",
    ]


@pytest.mark.parametrize("item_code", ONLINE_ITEMS)
async def test_staff_accept_and_decide_with_notices_messages_and_an_evaluation(api, corp, staff, item_code):
    application = await submitted_application(api, corp, item_code)
    queue = (await api.get("/staff/applications", params={"status": "submitted"}, headers=staff)).json()
    assert application["id"] in [a["id"] for a in queue["items"]]

    accepted = await decide(api, staff, application, "accept", comment="材料齐全，予以受理")
    assert accepted["status"]["label"] == "已受理"
    approved = await decide(api, staff, accepted, "approve", comment="同意")
    assert approved["status"]["label"] == "已办结"

    mine = (await api.get(f"/applications/{application['id']}", headers=corp)).json()
    assert next(n["kind"]["code"] for n in mine["notices"]) == "acceptance"
    assert {"view_notice", "evaluate"} <= set(mine["allowed_actions"])
    acceptance = mine["notices"][0]
    pdf = await api.get(
        f"/applications/{application['id']}/notices/{acceptance['id']}",
        headers={**corp, "Accept": "application/pdf"},
    )
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert application["number"] in text
    assert "受理通知书" in text
    assert mine["item"]["label"][:10] in text.replace("\n", "")

    messages = (await api.get("/me/messages", headers=corp)).json()["items"]
    assert any(m["subject_id"] == application["id"] and "已办结" in m["title"] for m in messages)

    wallet = (await api.get("/me/certificates", params={"limit": 100}, headers=corp)).json()["items"]
    # Under the number of the document issued (a 备案证明's is its 备案编号).
    issued = approved["notices"][-1]["number"]
    assert any(c["number"] == issued for c in wallet), "the result document is in 我的证照"

    rated = await api.post(
        f"/applications/{application['id']}/evaluation",
        json={"rating": 5, "tags": ["办理快捷"]},
        headers=corp,
    )
    assert rated.status_code == 201
    assert rated.json()["rating"] == {"code": "5", "label": "非常满意"}
    assert (
        await api.post(f"/applications/{application['id']}/evaluation", json={"rating": 4}, headers=corp)
    ).status_code == 409
