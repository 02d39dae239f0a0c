"""Materials attached to an application outlive their removal from 我的材料; messages follow changes."""

from tests.support.applying import decide, submitted_application


async def test_a_material_removed_from_my_list_stays_with_the_application(api, corp, staff):
    application = await submitted_application(api, corp, "WF-002")
    material_id = application["materials"][0]["material"]["id"]

    assert (await api.delete(f"/me/materials/{material_id}", headers=corp)).status_code == 204

    listed = (await api.get("/me/materials", params={"limit": 100}, headers=corp)).json()["items"]
    assert material_id not in [m["id"] for m in listed]
    assert (await api.get(f"/me/materials/{material_id}/content", headers=corp)).status_code == 404
    still = await api.get(
        f"/staff/applications/{application['id']}/materials/{material_id}/content", headers=staff
    )
    assert still.status_code == 200 and still.content.startswith(b"%PDF")


async def test_every_status_change_leaves_a_message_linked_to_the_application(api, corp, staff):
    application = await submitted_application(api, corp, "TH-001")
    await decide(api, staff, application, "accept")

    messages = [
        m
        for m in (await api.get("/me/messages", params={"limit": 100}, headers=corp)).json()["items"]
        if m["subject_id"] == application["id"]
    ]

    titles = [m["title"] for m in messages]
    assert "办件待受理" in titles and "办件已受理" in titles
    assert "收到受理通知书" in titles


async def test_a_bound_applicant_also_gets_a_wechat_subscribe_message_after_commit(api, corp, app):
    app.state.settings = app.state.settings.model_copy(update={"wechat_status_template_id": "tpl-status"})
    ticket = (await api.post("/auth/wechat/session", json={"code": "corp-phone"})).json()["binding_ticket"]
    await api.post(
        "/auth/login/password",
        json={"username": "demo-corp", "password": "Demo@12345", "binding_ticket": ticket},
    )
    accepted = {"template_id": "tpl-status", "accepted": 1}
    assert (await api.post("/me/notifications/subscription", json=accepted, headers=corp)).status_code == 200
    wechat = app.state.adapters.wechat
    wechat.sent_messages.clear()

    application = await submitted_application(api, corp, "WF-002")

    assert len(wechat.sent_messages) == 1
    sent = wechat.sent_messages[0]
    assert sent["touser"] == "fake-openid-corp-phone"
    assert sent["template_id"] == "tpl-status"
    assert sent["data"]["phrase2"] == "待受理"
    assert sent["page"] == f"pages/application/index?id={application['id']}"


async def test_wechat_being_down_does_not_fail_the_change(api, corp, app):
    app.state.settings = app.state.settings.model_copy(update={"wechat_status_template_id": "tpl-status"})
    ticket = (await api.post("/auth/wechat/session", json={"code": "corp-down"})).json()["binding_ticket"]
    await api.post(
        "/auth/login/password",
        json={"username": "demo-corp", "password": "Demo@12345", "binding_ticket": ticket},
    )
    accepted = {"template_id": "tpl-status", "accepted": 1}
    assert (await api.post("/me/notifications/subscription", json=accepted, headers=corp)).status_code == 200
    attempts = []

    async def unavailable(**_):
        attempts.append(1)
        raise ConnectionError("WeChat unreachable")

    app.state.adapters.wechat.send_subscribe_message = unavailable

    application = await submitted_application(api, corp, "WF-002")

    assert application["status"]["code"] == "submitted"
    assert attempts == [1]
