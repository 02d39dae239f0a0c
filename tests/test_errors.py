"""Every error is problem+json with a zh-CN title, a stable code and the request id."""

import pytest
from sqlalchemy import text

from app.core.db import SessionDep
from tests.support.problems import assert_problem as _assert_problem


async def test_an_unknown_route_is_a_problem_404(client):
    body = _assert_problem(await client.get("/api/v1/no-such-thing"), 404, "not_found")

    assert body["title"] == "请求的资源不存在"


async def test_a_wrong_method_is_a_problem_405(client):
    response = await client.delete("/api/v1/agencies")

    _assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


async def test_validation_errors_name_each_field_in_chinese(client):
    response = await client.get("/api/v1/catalog/items", params={"limit": 0, "online": "maybe"})

    body = _assert_problem(response, 422, "validation_failed")
    errors = {tuple(e["loc"]): e["msg"] for e in body["errors"]}
    assert errors[("query", "limit")] == "不能小于 1"
    assert errors[("query", "online")] == "必须是布尔值（true 或 false）"


async def test_an_overlong_query_is_refused_with_its_limit(client):
    response = await client.get("/api/v1/catalog/items", params={"q": "船" * 51})

    body = _assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["msg"] == "长度不能超过 50 个字符"


async def test_an_unhandled_error_is_a_500_without_a_stack_trace(app, client, caplog):
    async def explode():
        raise RuntimeError("secret internals: /etc/passwd")

    app.add_api_route("/explode", explode)

    response = await client.get("/explode")

    body = _assert_problem(response, 500, "internal_error")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert body["title"] == "服务器内部错误，请稍后重试"


@pytest.mark.parametrize("path", ["/api/v1/catalog/items/%00", "/api/v1/agencies/" + "A" * 500])
async def test_hostile_path_parameters_are_refused_cleanly(client, path):
    response = await client.get(path)

    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/catalog/items", {"q": "船员\x00"}),
        ("/api/v1/reference/ports", {"q": "\x00"}),
        ("/api/v1/agencies", {"q": "上海\x07"}),
        ("/api/v1/catalog/items", {"cursor": "abc\x00"}),
        ("/api/v1/catalog/items", {"agency": "S H"}),
    ],
)
async def test_control_characters_in_queries_are_a_422(client, path, params):
    response = await client.get(path, params=params)

    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "格式不正确"


async def test_a_database_error_that_is_a_bug_stays_a_500_and_is_not_passed_off_as_an_outage(app, client):
    async def duplicate(session: SessionDep):
        await session.execute(text("INSERT INTO agencies (code) VALUES (NULL)"))

    app.add_api_route("/duplicate", duplicate)

    response = await client.get("/duplicate")

    _assert_problem(response, 500, "internal_error")
    assert "retry-after" not in response.headers
