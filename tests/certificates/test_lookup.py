"""证书查询 (home page, 便民查询): a certificate number and its holder's name, nothing else."""

import re

import httpx
import pytest

from tests.support.certificates import COC, new_seafarer
from tests.support.clock import fresh_rate_window


@pytest.fixture
async def coc(api):
    seafarer = await new_seafarer(api)
    return seafarer, await seafarer.certificate(api, COC)


def _from(app, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1")


async def _lookup(api, number: str, name: str):
    return await api.post("/public/certificate-lookup", json={"certificate_no": number, "holder_name": name})


async def test_anyone_looks_up_a_certificate_by_number_and_holder_name(api, coc):
    seafarer, certificate = coc

    response = await _lookup(api, certificate["number"].lower(), seafarer.person["name"])

    assert response.status_code == 200, response.text
    assert response.json() == {
        "type": {"code": COC, "label": "中华人民共和国海船船员适任证书"},
        "title": "中华人民共和国海船船员适任证书",
        "number": certificate["number"],
        "holder_name": certificate["holder_name"],
        "agency": certificate["agency"],
        "issued_on": certificate["issued_on"],
        "expires_on": certificate["expires_on"],
        "status": {"code": "valid", "label": "有效"},
    }


async def test_a_wrong_name_and_an_unknown_number_get_the_same_answer(api, coc):
    seafarer, certificate = coc

    wrong_name = await _lookup(api, certificate["number"], "王五")
    unknown_number = await _lookup(api, "JSH1121999000000", seafarer.person["name"])

    assert wrong_name.status_code == unknown_number.status_code == 404
    first, second = wrong_name.json(), unknown_number.json()
    assert first.pop("request_id") != second.pop("request_id")
    assert first == second
    assert first["code"] == "certificate.lookup_not_found"


async def test_lookups_are_limited_per_address(app, api, coc):
    app.state.settings = app.state.settings.model_copy(update={"public_queries_per_minute": 3})
    await fresh_rate_window()
    seafarer, certificate = coc
    async with _from(app, "198.51.100.20") as client:
        for n in range(3):
            assert (await _lookup(client, f"JSH1121999{n:06d}", "王五")).status_code == 404

        refused = await _lookup(client, certificate["number"], seafarer.person["name"])

    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert re.fullmatch(r"请求过于频繁，请于 \d+ 秒后再试", refused.json()["detail"])
    async with _from(app, "198.51.100.21") as elsewhere:
        assert (await _lookup(elsewhere, certificate["number"], seafarer.person["name"])).status_code == 200


async def test_one_address_may_guess_the_holder_of_one_number_only_so_often_a_day(app, api, coc):
    app.state.settings = app.state.settings.model_copy(
        update={"public_queries_per_minute": 100, "public_queries_per_number_per_day": 3}
    )
    seafarer, certificate = coc
    async with _from(app, "192.0.2.1") as guesser:
        answers = [
            await _lookup(guesser, certificate["number"], guess)
            for guess in ["王五", "李四", "赵六", seafarer.person["name"]]
        ]

    assert [answer.status_code for answer in answers] == [404, 404, 404, 429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["retry-after"]) <= 86400
    assert re.fullmatch(r"请求过于频繁，请于 \d+ (秒|分钟|小时)后再试", refused.json()["detail"])


async def test_wrong_guesses_from_elsewhere_never_refuse_the_holder(app, api, coc):
    """Issue 14 point 9: thirty wrong names from other addresses used to block the number all day."""
    app.state.settings = app.state.settings.model_copy(
        update={"public_queries_per_minute": 100, "public_queries_per_number_per_day": 3}
    )
    seafarer, certificate = coc
    for n in range(3):
        async with _from(app, f"203.0.113.{n + 1}") as stranger:
            for guess in ["王五", "李四", "赵六", "钱七"]:
                assert (await _lookup(stranger, certificate["number"], guess)).status_code in (404, 429)

    async with _from(app, "198.51.100.77") as holder:
        answer = await _lookup(holder, certificate["number"], seafarer.person["name"])

    assert answer.status_code == 200, answer.text


async def test_right_answers_do_not_count_towards_the_daily_limit(app, api, coc):
    app.state.settings = app.state.settings.model_copy(
        update={"public_queries_per_minute": 100, "public_queries_per_number_per_day": 2}
    )
    seafarer, certificate = coc
    async with _from(app, "198.51.100.78") as holder:
        answers = [await _lookup(holder, certificate["number"], seafarer.person["name"]) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200] * 4
