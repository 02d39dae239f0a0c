"""The OpenAPI document is one a client generator can use: short stable operation ids, ASCII
tags with the Chinese name as display text, downloads of one binary type."""

import re

import pytest

from app.core.openapi import TAGS
from app.main import create_app

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return create_app().openapi()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_every_operation_id_is_a_unique_snake_case_function_name(document):
    seen: dict[str, str] = {}
    for where, operation in operations(document):
        operation_id = operation["operationId"]
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", operation_id), f"{where}: {operation_id}"
        # FastAPI's default would end in the path and method (…_api_v1_…_get).
        assert "_api_v1_" not in operation_id and len(operation_id) <= 40, f"{where}: {operation_id}"
        assert operation_id not in seen, f"{where} and {seen.get(operation_id)} are both {operation_id}"
        seen[operation_id] = where


def test_every_tag_used_is_declared_ascii_with_its_chinese_display_name(document):
    declared = {tag["name"]: tag for tag in document["tags"]}
    assert [tag["name"] for tag in document["tags"]] == [tag["name"] for tag in TAGS]
    for name, tag in declared.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name), name
        assert re.search(r"[\u4e00-\u9fff]", tag["x-displayName"]), name
        assert re.search(r"[\u4e00-\u9fff]", tag["description"]), name
    for where, operation in operations(document):
        assert operation.get("tags"), f"{where} has no tag"
        for tag in operation["tags"]:
            assert tag in declared, f"{where}: tag {tag!r} is not declared in app.core.openapi.TAGS"


def test_a_download_answers_one_binary_type_and_names_the_real_one_in_a_header(document):
    downloads = 0
    for where, operation in operations(document):
        for status, response in operation["responses"].items():
            content = response.get("content", {})
            binary = [
                media for media, body in content.items() if body.get("schema", {}).get("format") == "binary"
            ]
            if int(status) >= 300 or not binary:
                continue
            downloads += 1
            # One binary alternative (besides a JSON view of the same resource), typed.
            assert len(binary) == 1, f"{where} {status}: {sorted(content)}"
            others = set(content) - set(binary)
            assert others <= {"application/json"}, f"{where} {status}: {sorted(content)}"
            if binary == ["application/octet-stream"]:
                assert "Content-Type" in response.get("headers", {}), (
                    f"{where}: the real type is not documented"
                )
        for status, response in operation["responses"].items():
            if int(status) < 300:
                # A response with content but no schema is one a generator drops.
                for media, body in response.get("content", {}).items():
                    assert "schema" in body, f"{where} {status} {media} has no schema"
    assert downloads >= 6
