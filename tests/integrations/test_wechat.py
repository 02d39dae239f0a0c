"""wx.login binding, and the real WeChat adapter against recorded-shape responses."""

import re
from datetime import timedelta

import httpx
import pytest
import respx

from app.auth.tokens import binding_ticket
from app.core.db import create_sessionmaker, utcnow
from app.core.errors import ExternalServiceUnavailable
from app.integrations.wechat.base import WeChatError
from app.integrations.wechat.client import WeChatApiClient
from app.integrations.wechat.token_cache import SharedTokenCache
from tests.support.people import STRONG_PASSWORD, bearer, face_proof, register_citizen
from tests.support.wechat import WECHAT, MemoryTokenCache


async def test_an_unbound_wechat_user_gets_a_binding_ticket_and_binds_at_login(api):
    first = await api.post("/auth/wechat/session", json={"code": "c0de-one"})
    assert first.status_code == 200
    assert first.json()["bound"] is False
    ticket = first.json()["binding_ticket"]

    login = await api.post(
        "/auth/login/password",
        json={"username": "demo-corp", "password": "Demo@12345", "binding_ticket": ticket},
    )
    assert login.json()["user"]["wechat_bound"] is True

    again = await api.post("/auth/wechat/session", json={"code": "c0de-one"})
    assert again.json()["bound"] is True
    assert again.json()["user"]["username"] == "demo-corp"
    assert (await api.get("/me", headers=bearer(again.json()))).status_code == 200


async def test_registration_with_a_ticket_binds_the_new_account(api):
    ticket = (await api.post("/auth/wechat/session", json={"code": "new-user"})).json()["binding_ticket"]

    _, tokens = await register_citizen(api, binding_ticket=ticket)

    assert tokens["user"]["wechat_bound"] is True


async def test_one_wechat_identity_binds_one_account(api):
    ticket = (await api.post("/auth/wechat/session", json={"code": "shared"})).json()["binding_ticket"]
    await register_citizen(api, binding_ticket=ticket)
    person, _ = await register_citizen(api)
    proof = await face_proof(api, person, "login")

    response = await api.post("/auth/login/personal", json={**proof, "binding_ticket": ticket})

    assert response.status_code == 409
    assert response.json()["code"] == "auth.wechat_already_bound"


async def test_an_invalid_wx_login_code_is_a_401(api):
    response = await api.post("/auth/wechat/session", json={"code": "invalid"})

    assert response.status_code == 401
    assert response.json()["code"] == "auth.wechat_code_invalid"


@pytest.mark.parametrize("stale", ["expired", "forged"])
async def test_a_stale_binding_ticket_signs_in_without_binding(api, app, stale):
    """Issue 13 defect 5: an old ticket kept by the mini program answered 401 登录已失效 forever."""
    expired = app.state.settings.model_copy(update={"binding_ticket_ttl": timedelta(minutes=-1)})
    ticket = binding_ticket(expired, "fake-openid-old") if stale == "expired" else "x.y.z"

    response = await api.post(
        "/auth/login/password",
        json={"username": "demo-corp", "password": "Demo@12345", "binding_ticket": ticket},
    )

    assert response.status_code == 200, response.text
    assert response.json()["user"]["wechat_bound"] is False


async def test_a_stale_binding_ticket_does_not_block_a_face_sign_in(api):
    person, _ = await register_citizen(api)
    proof = await face_proof(api, person, "login")

    response = await api.post("/auth/login/personal", json={**proof, "binding_ticket": "x.y.z"})

    assert response.status_code == 200, response.text
    assert response.json()["user"]["wechat_bound"] is False


async def _bound_corporate_session(api, code: str) -> dict:
    ticket = (await api.post("/auth/wechat/session", json={"code": code})).json()["binding_ticket"]
    login = await api.post(
        "/auth/login/password",
        json={"username": "demo-corp", "password": "Demo@12345", "binding_ticket": ticket},
    )
    assert login.json()["user"]["wechat_bound"] is True
    return login.json()


async def test_a_new_binding_is_told_to_the_account(api):
    signed_in = await _bound_corporate_session(api, "told-code")

    messages = (await api.get("/me/messages", headers=bearer(signed_in))).json()["items"]

    told = [message for message in messages if message["title"] == "账号已绑定微信"]
    assert len(told) == 1
    assert re.search(r"于 \d{4}-\d\d-\d\d \d\d:\d\d 绑定了微信", told[0]["body"])
    assert "如非本人操作" in told[0]["body"] and "解除微信绑定" in told[0]["body"]


async def test_the_user_sees_and_removes_the_binding(api):
    """用户信息 → 解除微信绑定: the WeChat signs in no more, and every other device signs in again."""
    through_wechat = (await api.post("/auth/wechat/session", json={"code": "x-code"})).json()
    assert through_wechat["bound"] is False
    mine = await _bound_corporate_session(api, "x-code")
    other_device = (await api.post("/auth/wechat/session", json={"code": "x-code"})).json()
    assert other_device["bound"] is True
    assert (await api.get("/me", headers=bearer(mine))).json()["wechat_bound"] is True

    removed = await api.delete("/me/wechat-binding", headers=bearer(mine))

    assert removed.status_code == 204
    assert (await api.get("/me", headers=bearer(mine))).json()["wechat_bound"] is False
    assert (await api.get("/me", headers=bearer(other_device))).status_code == 401
    assert (await api.post("/auth/wechat/session", json={"code": "x-code"})).json()["bound"] is False
    assert (await api.delete("/me/wechat-binding", headers=bearer(mine))).status_code == 204


async def test_a_password_change_removes_the_binding(api):
    """Issue 14 point 4: whoever once knew the password kept signing in through their own WeChat."""
    signed_in = await _bound_corporate_session(api, "former-employee")
    operator = {"name": "王海明", "id_number": "310115198503122018"}
    proof = await face_proof(api, operator, "change_password")

    changed = await api.put(
        "/me/password", json={**proof, "new_password": STRONG_PASSWORD}, headers=bearer(signed_in)
    )

    assert changed.status_code == 204
    assert (await api.post("/auth/wechat/session", json={"code": "former-employee"})).json()["bound"] is False
    signed_in = await api.post(
        "/auth/login/password", json={"username": "demo-corp", "password": STRONG_PASSWORD}
    )
    assert signed_in.json()["user"]["wechat_bound"] is False


async def test_a_password_reset_removes_the_binding(api):
    ticket = (await api.post("/auth/wechat/session", json={"code": "lost-phone"})).json()["binding_ticket"]
    person, _ = await register_citizen(api, binding_ticket=ticket)
    proof = await face_proof(api, person, "reset_password")

    reset = await api.post("/auth/password/reset", json={**proof, "new_password": "Fresh#Start9"})

    assert reset.status_code == 204
    assert (await api.post("/auth/wechat/session", json={"code": "lost-phone"})).json()["bound"] is False


@pytest.fixture
async def wechat():
    async with httpx.AsyncClient(base_url=WECHAT) as http:
        yield WeChatApiClient(http, app_id="wx-app", app_secret="s3cret", token_cache=MemoryTokenCache())


@respx.mock
async def test_jscode2session_returns_the_openid(wechat):
    route = respx.get(f"{WECHAT}/sns/jscode2session").respond(
        json={"openid": "o-abc", "session_key": "k", "unionid": "u-1"}
    )

    identity = await wechat.code_to_session("the-code")

    assert identity.openid == "o-abc" and identity.unionid == "u-1"
    assert route.calls.last.request.url.params["js_code"] == "the-code"
    assert route.calls.last.request.url.params["grant_type"] == "authorization_code"


@pytest.mark.parametrize("errcode", [40029, 40226, 45011, -1])
@respx.mock
async def test_jscode2session_errors_surface_with_their_code(wechat, errcode):
    respx.get(f"{WECHAT}/sns/jscode2session").respond(json={"errcode": errcode, "errmsg": "error"})

    with pytest.raises(WeChatError) as raised:
        await wechat.code_to_session("c")

    assert raised.value.errcode == errcode


@respx.mock
async def test_the_stable_token_is_fetched_once_and_reused(wechat):
    route = respx.post(f"{WECHAT}/cgi-bin/stable_token").respond(
        json={"access_token": "T1", "expires_in": 7200}
    )

    assert await wechat.access_token() == "T1"
    assert await wechat.access_token() == "T1"

    assert route.call_count == 1
    assert (
        route.calls.last.request.read()
        and b'"force_refresh":false' in route.calls.last.request.read().replace(b" ", b"")
    )


@respx.mock
async def test_a_rejected_token_is_renewed_and_the_message_sent_again(wechat):
    respx.post(f"{WECHAT}/cgi-bin/stable_token").mock(
        side_effect=[
            httpx.Response(200, json={"access_token": "OLD", "expires_in": 7200}),
            httpx.Response(200, json={"access_token": "NEW", "expires_in": 7200}),
        ]
    )
    send = respx.post(f"{WECHAT}/cgi-bin/message/subscribe/send").mock(
        side_effect=[
            httpx.Response(200, json={"errcode": 40001, "errmsg": "invalid credential"}),
            httpx.Response(200, json={"errcode": 0, "errmsg": "ok"}),
        ]
    )

    await wechat.send_subscribe_message(
        openid="o", template_id="tpl", page="pages/index", data={"thing1": "已受理"}
    )

    assert [call.request.url.params["access_token"] for call in send.calls] == ["OLD", "NEW"]
    assert b'"thing1":{"value":' in send.calls.last.request.read().replace(b" ", b"")


@respx.mock
async def test_token_errors_other_than_expiry_are_not_retried(wechat):
    respx.post(f"{WECHAT}/cgi-bin/stable_token").respond(
        json={"errcode": 40125, "errmsg": "invalid appsecret"}
    )

    with pytest.raises(WeChatError) as raised:
        await wechat.access_token()

    assert raised.value.errcode == 40125


@respx.mock
async def test_an_unreachable_wechat_is_a_503(wechat):
    respx.get(f"{WECHAT}/sns/jscode2session").mock(side_effect=httpx.ConnectTimeout("timeout"))

    with pytest.raises(ExternalServiceUnavailable):
        await wechat.code_to_session("c")


async def test_the_shared_token_cache_outlives_a_worker(engine):
    first, second = (
        SharedTokenCache(create_sessionmaker(engine)),
        SharedTokenCache(create_sessionmaker(engine)),
    )
    await first.put("test.token", "SHARED", utcnow() + timedelta(minutes=10))
    await first.put("test.expired", "OLD", utcnow() - timedelta(seconds=1))

    assert await second.get("test.token") == "SHARED"
    assert await second.get("test.expired") is None
