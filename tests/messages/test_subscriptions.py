"""订阅消息: WeChat delivers one message per one-time subscription the user accepted, so the
server counts them, spends one per message and sends none once they are used up."""

import pytest

from tests.support.applying import decide, login, submitted_application

TEMPLATE = "tpl-status"
PATH = "/me/notifications/subscription"


@pytest.fixture
def with_template(app):
    app.state.settings = app.state.settings.model_copy(update={"wechat_status_template_id": TEMPLATE})


async def _bound_corp(api, code: str) -> dict:
    """demo-corp signed in from WeChat (bound to an openid), as the mini program does."""
    ticket = (await api.post("/auth/wechat/session", json={"code": code})).json()["binding_ticket"]
    await api.post(
        "/auth/login/password",
        json={"username": "demo-corp", "password": "Demo@12345", "binding_ticket": ticket},
    )
    return await login(api, "demo-corp")


async def test_the_user_sees_the_template_and_what_they_accepted_adds_up(api, corp, with_template):
    before = await api.get(PATH, headers=corp)
    first = await api.post(PATH, json={"template_id": TEMPLATE, "accepted": 1}, headers=corp)
    second = await api.post(PATH, json={"template_id": TEMPLATE, "accepted": 3}, headers=corp)

    assert before.json() == {"template_id": TEMPLATE, "remaining": 0}
    assert first.json() == {"template_id": TEMPLATE, "remaining": 1}
    assert second.json() == {"template_id": TEMPLATE, "remaining": 4}
    assert (await api.get(PATH, headers=corp)).json() == {"template_id": TEMPLATE, "remaining": 4}


async def test_each_status_change_spends_one_subscription_and_stops_at_zero(api, staff, app, with_template):
    corp = await _bound_corp(api, "corp-grants")
    await api.post(PATH, json={"template_id": TEMPLATE, "accepted": 2}, headers=corp)
    wechat = app.state.adapters.wechat
    wechat.sent_messages.clear()

    submitted = await submitted_application(api, corp, "TH-001")  # 待受理: one sent
    accepted = await decide(api, staff, submitted, "accept")  # 已受理: the second
    await decide(api, staff, accepted, "approve")  # 已办结: none left, in-app message only

    assert [m["data"]["phrase2"] for m in wechat.sent_messages] == ["待受理", "已受理"]
    assert {m["page"] for m in wechat.sent_messages} == {f"pages/application/index?id={submitted['id']}"}
    assert (await api.get(PATH, headers=corp)).json()["remaining"] == 0
    titles = [m["title"] for m in (await api.get("/me/messages", headers=corp)).json()["items"]]
    assert "办件已办结" in titles


async def test_without_an_accepted_subscription_no_subscribe_message_is_sent(api, app, with_template):
    corp = await _bound_corp(api, "corp-none")
    wechat = app.state.adapters.wechat
    wechat.sent_messages.clear()

    await submitted_application(api, corp, "WF-002")

    assert wechat.sent_messages == []


async def test_a_template_the_service_does_not_send_is_refused(api, corp, with_template):
    response = await api.post(PATH, json={"template_id": "tpl-other", "accepted": 1}, headers=corp)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "template_id"]
    assert response.json()["errors"][0]["msg"] == "不是本服务的订阅消息模板"


@pytest.mark.parametrize("accepted", [0, 11])
async def test_a_user_accepts_one_to_ten_subscriptions_at_a_time(api, corp, with_template, accepted):
    response = await api.post(PATH, json={"template_id": TEMPLATE, "accepted": accepted}, headers=corp)

    assert response.status_code == 422


async def test_a_service_without_subscribe_messages_says_so_and_records_nothing(api, corp):
    recorded = await api.post(PATH, json={"template_id": TEMPLATE, "accepted": 2}, headers=corp)

    assert recorded.status_code == 200
    assert recorded.json() == {"template_id": None, "remaining": 0}
