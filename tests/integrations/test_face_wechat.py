"""The real WeChat face verifier against recorded-shape getinfo responses."""

from hashlib import md5

import httpx
import pytest
import respx

from app.integrations.face.base import FacePerson, FaceResultUnusable
from app.integrations.face.wechat import WeChatFaceVerifier
from app.integrations.wechat.client import WeChatApiClient
from tests.support.wechat import WECHAT, MemoryTokenCache

PERSON = FacePerson(name="张三", id_number="11010519491231002X")


def _info(**overrides):
    return {
        "errcode": 0,
        "errmsg": "ok",
        "identify_ret": 0,
        "identify_time": 1764200000,
        "id_card_number_md5": md5(b"11010519491231002X").hexdigest(),
        "name_utf8_md5": md5("张三".encode()).hexdigest(),
        **overrides,
    }


@pytest.fixture
async def verifier():
    async with httpx.AsyncClient(base_url=WECHAT) as http:
        respx.post(f"{WECHAT}/cgi-bin/stable_token").respond(
            json={"access_token": "TOKEN", "expires_in": 7200}
        )
        yield WeChatFaceVerifier(
            WeChatApiClient(http, app_id="wx", app_secret="s", token_cache=MemoryTokenCache())
        )


@respx.mock
async def test_a_matching_person_passes_and_the_result_is_sent_with_the_token(verifier):
    route = respx.post(f"{WECHAT}/cityservice/face/identify/getinfo").respond(json=_info())

    verdict = await verifier.verify("vr-1", PERSON, face_session_id="s1")

    assert verdict.passed
    assert route.calls.last.request.url.params["access_token"] == "TOKEN"
    assert b"vr-1" in route.calls.last.request.read()


@pytest.mark.parametrize(
    "overrides",
    [
        {"identify_ret": 10001},
        {"id_card_number_md5": md5(b"110105194912310021").hexdigest()},
        {"id_card_number_md5": md5(b"11010519491231002x").hexdigest()},
        {"name_utf8_md5": md5("李四".encode()).hexdigest()},
    ],
)
@respx.mock
async def test_anything_but_a_clean_match_fails(verifier, overrides):
    respx.post(f"{WECHAT}/cityservice/face/identify/getinfo").respond(json=_info(**overrides))

    assert not (await verifier.verify("vr-2", PERSON, face_session_id="s1")).passed


@respx.mock
async def test_an_unknown_verify_result_is_unusable(verifier):
    respx.post(f"{WECHAT}/cityservice/face/identify/getinfo").respond(
        json={"errcode": 85084, "errmsg": "verify_result not found"}
    )

    with pytest.raises(FaceResultUnusable):
        await verifier.verify("vr-3", PERSON, face_session_id="s1")


@respx.mock
async def test_the_replay_key_depends_on_the_result_only(verifier):
    respx.post(f"{WECHAT}/cityservice/face/identify/getinfo").respond(json=_info())

    first = await verifier.verify("same", PERSON, face_session_id="s1")
    second = await verifier.verify("same", PERSON, face_session_id="s2")

    assert first.replay_key == second.replay_key
