"""The OpenAPI document is one a client generator can use: short stable operation ids, ASCII
tags with the Chinese name as display text, downloads typed as bytes."""

import re
from pathlib import Path

import pytest
import yaml

from app.core.openapi import TAGS
from app.main import create_app

METHODS = {"get", "put", "post", "delete", "patch"}
GENERATOR_CONFIG = Path(__file__).parents[1] / "tools" / "openapi-client" / "config.yml"
BYTES_OVERRIDES = {
    media
    for media, as_type in yaml.safe_load(GENERATOR_CONFIG.read_text())["content_type_overrides"].items()
    if as_type == "application/octet-stream"
}


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


def test_a_download_is_typed_as_bytes_and_states_every_type_it_is_served_with(document):
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
            # A generator types a response by a media type it knows: JSON, octet-stream, or one
            # tools/openapi-client/config.yml maps to bytes (PDF, NDJSON).
            assert set(content) & {"application/json", "application/octet-stream", *BYTES_OVERRIDES}, (
                f"{where} {status}: {sorted(content)}"
            )
            if "application/octet-stream" in binary:
                # Stored files go out with the type they were stored as, stated twice: as media
                # types (what a response checker compares) and in the Content-Type header.
                stated = set(response["headers"]["Content-Type"]["schema"]["enum"])
                assert set(binary) - {"application/octet-stream"} == stated, f"{where}: {sorted(content)}"
        for status, response in operation["responses"].items():
            if int(status) < 300:
                # A response with content but no schema is one a generator drops.
                for media, body in response.get("content", {}).items():
                    assert "schema" in body, f"{where} {status} {media} has no schema"
    assert downloads >= 6
