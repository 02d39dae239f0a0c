"""Every error is problem+json with a zh-CN title, a stable code and the request id."""

import re
import typing

import pytest
from pydantic_core.core_schema import ErrorType
from sqlalchemy import text

from app.core.db import SessionDep
from app.core.validation_messages import _MESSAGES, translate
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
    assert errors[("query", "online")] == "必须是布尔值"
    # One line for a person: each field by its name, never a path such as `query.limit`.
    assert body["detail"] == "在线办理：必须是布尔值；每页条数：不能小于 1"


async def test_a_refused_phone_number_is_described_by_the_field_a_person_filled_in(client):
    response = await client.post(
        "/api/v1/public/progress", json={"application_no": "HS20261127042817", "phone": ""}
    )

    body = _assert_problem(response, 422, "validation_failed")
    assert body["detail"] == "手机号码：请输入11位中国大陆手机号码"
    assert body["errors"] == [
        {"loc": ["body", "phone"], "msg": "请输入11位中国大陆手机号码", "type": "mobile.format"}
    ]


# Acronyms and format masks a person reads as they are.
_NOT_ENGLISH_WORDS = {"ISO", "JSON", "YYYY", "MM", "DD", "HH", "SS", "IMO", "MMSI", "UTF"}


def _english_words(message: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", message)) - _NOT_ENGLISH_WORDS


@pytest.mark.parametrize("kind", typing.get_args(ErrorType))
def test_no_pydantic_error_reaches_a_person_in_english(kind):
    """Whatever pydantic reports, in whatever context, the message is zh-CN."""
    context = {
        **{"min_length": 2, "max_length": 9, "gt": 0, "ge": 1, "lt": 9, "le": 8, "multiple_of": 2},
        **{"expected": "'1', '2' or '3'", "error": ValueError("Value error, bad"), "pattern": "^a$"},
    }
    error = {"type": kind, "loc": ("body", "x"), "msg": "Input should be valid", "ctx": context}

    message = translate(error)["msg"]

    assert message and not _english_words(message), message


def test_the_choices_of_an_enum_are_listed_in_chinese():
    choices = "'accept', 'reject' or 'approve'"
    error = {"type": "literal_error", "loc": ("body", "action"), "ctx": {"expected": choices}}

    assert translate(error)["msg"] == "取值必须是以下之一：accept、reject、approve"


def test_every_message_of_the_validators_is_chinese():
    messages = [re.sub(r"\{\w+\}", "", message) for message in _MESSAGES.values()]

    assert not [message for message in messages if _english_words(message)]


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
