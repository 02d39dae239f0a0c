"""Hostile input, table by table: nothing answers 500, every refusal is problem+json.

Where a table can be read off the OpenAPI document (every JSON body, every list, every
protected operation) it is, so routes added later are held to the same rules. Forged and
replayed tokens in detail: tests/auth/test_tokens.py; hostile uploads: tests/materials;
enumeration of 办件查询 and 证书查询: tests/applications/test_privacy.py and
tests/certificates/test_lookup.py.
"""

import base64
import json
import re

import pytest

from app.core.auth import Scope
from app.core.config import REQUEST_BODY_MAX_BYTES
from tests.support import crafted_images
from tests.support.clients import registered_client
from tests.support.people import bearer, citizen, credit_code, sign_in_as
from tests.support.problems import assert_problem

MASS_ASSIGNED = ("status", "owner", "owner_id", "role", "version", "id")
# Where one of those names is the caller's to give: the role of an account the security
# administrator creates or asks for, the version of the consent text the user agreed to.
DECLARED_ON_PURPOSE = {
    "POST /api/v1/admin/security/accounts": ["role"],
    "POST /api/v1/admin/security/requests": ["role"],
    "POST /api/v1/me/consents": ["version"],
    # The authority's registry decides a certificate's status (suspended, revoked …) and pushes it.
    "PUT /api/v1/registry/certificates/{registry_id}": ["status"],
}
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
UNKNOWN_ID = "01a21e00-0000-7000-8000-000000000000"
HUGE = 2**63


def _operations(app) -> list[tuple[str, str, dict]]:
    document = app.openapi()
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def _url(path: str) -> str:
    """The path with every parameter filled by a well-formed id nobody has."""
    return re.sub(r"\{[^}]+\}", UNKNOWN_ID, path)


def _roles(operation: dict) -> list[str] | None:
    """None for a public operation; [] for anyone signed in; else the roles it admits."""
    if not operation.get("security"):
        return None
    return [role for requirement in operation["security"] for role in requirement.get("HTTPBearer", [])]


def _json_body_schema(app, operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _resolve(app.openapi(), content["application/json"]["schema"])


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _object_schemas(document: dict, schema: dict, seen: set[str] | None = None):
    """Every object schema with declared properties reachable from ``schema``."""
    seen = set() if seen is None else seen
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
        yield from _object_schemas(document, _resolve(document, schema), seen)
        return
    if schema.get("properties"):
        yield schema
    children = [*schema.get("properties", {}).values(), *schema.get("anyOf", []), *schema.get("oneOf", [])]
    children += [
        schema[key] for key in ("items", "additionalProperties") if isinstance(schema.get(key), dict)
    ]
    for child in children:
        yield from _object_schemas(document, child, seen)


@pytest.fixture
async def headers_for(api, session, settings):
    """The headers of a caller the operation admits (its first documented role, or a machine
    client holding every scope), signed in once."""
    signed_in: dict[str, dict] = {}

    async def for_operation(operation: dict) -> dict:
        if any("MachineClient" in requirement for requirement in operation.get("security", [])):
            if "client" not in signed_in:
                _, signed_in["client"] = await registered_client(session, settings, scopes=list(Scope))
                await session.commit()  # as a request would: a refused request rolls back what is pending
            return signed_in["client"]
        roles = _roles(operation)
        if roles is None:
            return {}
        role = roles[0] if roles else "personal"
        if role not in signed_in:
            signed_in[role] = bearer(await sign_in_as(api, role))
        return signed_in[role]

    return for_operation


# -- mass assignment -------------------------------------------------------------------------


def test_every_json_body_refuses_fields_it_does_not_declare(app):
    """Read off the document: no request model, nested ones included, takes unknown fields."""
    document = app.openapi()
    open_models = [
        f"{method} {path}"
        for method, path, operation in _operations(app)
        if (schema := _json_body_schema(app, operation)) is not None
        for model in _object_schemas(document, schema)
        if model.get("additionalProperties") is not False
    ]

    assert open_models == []


def test_no_json_body_declares_a_field_only_the_server_may_set(app):
    declared = {
        f"{method} {path}": sorted(set(schema.get("properties", {})) & set(MASS_ASSIGNED))
        for method, path, operation in _operations(app)
        if (schema := _json_body_schema(app, operation)) is not None
    }

    assert {operation: fields for operation, fields in declared.items() if fields} == DECLARED_ON_PURPOSE


@pytest.mark.parametrize("field", MASS_ASSIGNED)
async def test_a_mass_assigned_field_is_refused_by_every_create_and_update(app, client, headers_for, field):
    """Each JSON body with ``field`` added is a 422 naming it, whatever else is wrong with it."""
    for method, path, operation in _operations(app):
        if _json_body_schema(app, operation) is None or "{" in path:
            continue  # bodies under an id are checked by the models' additionalProperties above
        if field in DECLARED_ON_PURPOSE.get(f"{method} {path}", []):
            continue
        response = await client.request(
            method, _url(path), json={field: "x"}, headers=await headers_for(operation)
        )
        body = assert_problem(response, 422, "validation_failed")
        assert ["body", field] in [error["loc"] for error in body["errors"]], (method, path)


# -- forged credentials on every protected operation -------------------------------------------


async def test_a_token_signed_with_alg_none_is_refused_by_every_protected_operation(app, client, api):
    _, claims, _ = (await sign_in_as(api, "corporate"))["access_token"].split(".")
    forged = f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{claims}."

    for method, path, operation in _operations(app):
        if _roles(operation) is None:
            continue
        response = await client.request(method, _url(path), headers={"Authorization": f"Bearer {forged}"})
        assert_problem(response, 401, "auth.token_invalid")


def _segment(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")


# -- numbers, limits, NUL bytes ------------------------------------------------------------------


@pytest.mark.parametrize("limit", [0, -1, 101, 1_000_000, HUGE, "1e3", "十"])
async def test_every_list_refuses_a_limit_outside_1_to_100(app, client, headers_for, limit):
    for method, path, operation in _operations(app):
        names = [parameter["name"] for parameter in operation.get("parameters", [])]
        if "limit" not in names or "{" in path:
            continue
        response = await client.request(
            method, path, params={"limit": limit}, headers=await headers_for(operation)
        )
        body = assert_problem(response, 422, "validation_failed")
        assert body["errors"][0]["loc"] == ["query", "limit"], path


async def test_a_nul_byte_in_any_query_parameter_is_refused(app, client, headers_for):
    for method, path, operation in _operations(app):
        if method != "GET" or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            response = await client.get(
                path, params={parameter["name"]: "a\x00b"}, headers=await headers_for(operation)
            )
            assert_problem(response, 422)


# Public and sign-in bodies with one field made hostile; the rest is well-formed.
def _bodies() -> list[tuple[str, dict, str]]:
    person = citizen()
    face = {
        "purpose": "register",
        "name": person["name"],
        "id_number": person["id_number"],
        "method": "reflective",
    }
    corporate = {
        "company_name": "上海示例航运有限公司",
        "credit_code": credit_code(),
        "kind": "company",
        "operator_name": person["name"],
        "operator_id_number": person["id_number"],
        "contact_phone": person["phone"],
        "username": "bad-input-corp",
        "password": "Harbour#2026",
    }
    progress = {"application_no": "HS20260101000001", "phone": person["phone"]}
    lookup = {"certificate_no": "310000000001", "holder_name": "张三"}
    login = {"username": "demo-corp", "password": "Demo@12345"}
    return [
        ("/auth/face/sessions", face, "name"),
        ("/auth/face/sessions", face, "id_number"),
        ("/auth/register/corporate", corporate, "company_name"),
        ("/auth/register/corporate", corporate, "credit_code"),
        ("/auth/register/corporate", corporate, "username"),
        ("/auth/login/password", login, "username"),
        ("/auth/login/password", login, "password"),
        ("/public/progress", progress, "application_no"),
        ("/public/progress", progress, "phone"),
        ("/public/certificate-lookup", lookup, "certificate_no"),
        ("/public/certificate-lookup", lookup, "holder_name"),
    ]


@pytest.mark.parametrize(("path", "body", "field"), _bodies())
async def test_a_nul_byte_in_a_body_string_is_refused_before_it_reaches_the_database(api, path, body, field):
    response = await api.post(path, json={**body, field: f"{body[field]}\x00"})

    assert response.status_code in (401, 404, 422), response.text  # never 500, nothing stored
    assert_problem(response, response.status_code)


# -- bidi controls and invisible characters in names ---------------------------------------

# Right-to-left override, zero-width space and joiner, LRM/RLM, embeddings, isolates, BOM,
# soft hyphen: each makes a name look like another.
INVISIBLE = ["\u202e", "\u202a", "\u200b", "\u200d", "\u200f", "\u2066", "\u2069", "\ufeff", "\u00ad"]


def _name_fields(app) -> list[tuple[str, str, str, dict]]:
    """(method, path, field, schema) of every string field of a JSON body that holds a name
    (usernames are identifiers: ASCII where one is chosen, and only looked up at sign-in)."""
    document = app.openapi()
    found = []
    for method, path, operation in _operations(app):
        body = _json_body_schema(app, operation)
        if body is None:
            continue
        for schema in _object_schemas(document, body):
            for field, property_schema in schema["properties"].items():
                if field.endswith("name") and field != "username":
                    for variant in property_schema.get("anyOf", [property_schema]):
                        if variant.get("type") == "string":
                            found.append((method, path, field, variant))
    return found


def test_every_name_in_a_json_body_states_in_its_schema_that_invisible_characters_are_refused(app):
    fields = _name_fields(app)
    names = {field for *_, field, _ in fields}

    assert {"name", "company_name", "operator_name", "holder_name", "contact_name"} <= names
    for method, path, field, schema in fields:
        for character in INVISIBLE:
            assert "pattern" in schema, (method, path, field)
            assert not re.search(schema["pattern"], f"张{character}三"), (method, path, field, character)
        assert re.search(schema["pattern"], "张三"), (method, path, field)


@pytest.mark.parametrize("character", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
async def test_a_name_with_a_bidi_control_or_invisible_character_is_refused_everywhere(api, character):
    person = citizen()
    corporate = bearer(await sign_in_as(api, "corporate"))
    face = {"purpose": "register", "id_number": person["id_number"], "method": "reflective"}
    company = {
        "credit_code": credit_code(),
        "kind": "company",
        "operator_name": person["name"],
        "operator_id_number": person["id_number"],
        "contact_phone": person["phone"],
        "username": "invisible-corp",
        "password": "Harbour#2026",
    }
    ship = {"imo_number": "9876543", "mmsi": "413123450", "flag": "CN", "ship_type": "散货船", "gross_tonnage": 1}
    draft = {"item_code": "WF-002", "agency_code": "SH"}
    hostile = {
        ("/auth/face/sessions", "name"): ({**face, "name": f"张{character}三"}, {}),
        ("/auth/register/corporate", "company_name"): ({**company, "company_name": f"上海{character}航运"}, {}),
        ("/public/certificate-lookup", "holder_name"): (
            {"certificate_no": "310000000001", "holder_name": f"张{character}三"},
            {},
        ),
        ("/me/ships", "name"): ({**ship, "name": f"海港{character}明珠"}, corporate),
        ("/applications", "contact_name"): ({**draft, "contact_name": f"王{character}海明"}, corporate),
    }
    for (path, field), (body, headers) in hostile.items():
        response = await api.post(path, json=body, headers=headers)

        assert_problem(response, 422)
        (error,) = response.json()["errors"]
        assert error["loc"] == ["body", field], path
        assert error["type"] == "invisible_characters", path
        assert error["msg"] == "不能包含不可见字符或文字方向控制符", path


@pytest.mark.parametrize(
    ("file_name", "name"),
    [("报告\u202egnp.exe.pdf", None), ("报告.pdf", "报告\u202egnp.exe.pdf"), ("营业\u200b执照.pdf", None)],
)
async def test_a_material_whose_name_hides_its_real_extension_is_refused(api, file_name, name):
    headers = bearer(await sign_in_as(api, "personal"))
    files = {"file": (file_name, b"%PDF-1.4\n%%EOF\n", "application/pdf")}
    if name is not None:
        files["name"] = (None, name)

    response = await api.post("/me/materials", files=files, headers=headers)

    assert_problem(response, 422)
    (error,) = response.json()["errors"]
    assert error["type"] == "invisible_characters"
    assert error["loc"] == ["body", "file" if name is None else "name"]
    assert (await api.get("/me/materials", headers=headers)).json()["items"] == []


def _wrong_check_digit() -> str:
    valid = citizen()["id_number"]
    return valid[:-1] + ("0" if valid[-1] != "0" else "1")


def _wrong_check_character() -> str:
    valid = credit_code()
    return valid[:-1] + ("0" if valid[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        # Random valid numbers made wrong: a stable id, as every pytest worker collects the same tests.
        pytest.param("id_number", _wrong_check_digit(), id="id_number-wrong-check-digit"),
        ("id_number", "31011519700101001"),  # 17 digits
        ("id_number", "310115197013320010"),  # month 13
        ("id_number", "3101151970010100１X"),  # full-width digit
        ("id_number", "3****************4"),  # a masked number sent back
    ],
)
async def test_a_malformed_id_number_is_refused_with_its_field(api, field, value):
    person = citizen()
    body = {"purpose": "register", "name": person["name"], "id_number": value, "method": "reflective"}

    problem = assert_problem(await api.post("/auth/face/sessions", json=body), 422, "validation_failed")

    assert problem["errors"][0]["loc"] == ["body", field]


@pytest.mark.parametrize(
    "code",
    [
        "91310115MA1K3Y8Q5",
        pytest.param(_wrong_check_character(), id="wrong-check-character"),
        "ABCDEFGHIJKLMNOPQR",
        "91310115MA1K3Y8Q5\u00d8",
    ],
)
async def test_a_malformed_credit_code_is_refused_with_its_field(api, code):
    body = dict(_bodies()[2][1], credit_code=code)

    problem = assert_problem(await api.post("/auth/register/corporate", json=body), 422, "validation_failed")

    assert ["body", "credit_code"] in [error["loc"] for error in problem["errors"]]


@pytest.mark.parametrize(
    ("field", "value"), [("gross_tonnage", HUGE), ("gross_tonnage", -1), ("gross_tonnage", 1e308)]
)
async def test_numbers_out_of_range_are_refused_not_overflowed(api, field, value):
    corp = bearer(await sign_in_as(api, "corporate"))
    ship = {"name": "海港之星", "imo_number": "9074729", "flag": "CN", "ship_type": "散货船", field: value}

    problem = assert_problem(await api.post("/me/ships", json=ship, headers=corp), 422, "validation_failed")

    assert ["body", field] in [error["loc"] for error in problem["errors"]]


# -- body size -----------------------------------------------------------------------------------


def _ten_megabytes() -> bytes:
    return b'{"username": "' + b"a" * (10 * 1024 * 1024) + b'", "password": "x"}'


async def _streamed(data: bytes, chunk: int = 64 * 1024):
    for start in range(0, len(data), chunk):
        yield data[start : start + chunk]


@pytest.mark.parametrize("with_length", [True, False], ids=["with-content-length", "chunked"])
async def test_a_json_body_over_the_cap_is_refused_with_413(api, with_length):
    data = _ten_megabytes()
    content = data if with_length else _streamed(data)

    response = await api.post(
        "/auth/login/password", content=content, headers={"Content-Type": "application/json"}
    )

    assert_problem(response, 413, "payload_too_large")


async def test_a_json_body_just_under_the_cap_is_read_and_validated(api):
    padding = "a" * (REQUEST_BODY_MAX_BYTES - 100)

    response = await api.post("/auth/login/password", json={"username": padding, "password": "x"})

    assert_problem(response, 422, "validation_failed")


@pytest.mark.parametrize("with_length", [True, False], ids=["with-content-length", "chunked"])
async def test_an_upload_over_the_cap_is_refused_with_413(api, app, with_length):
    app.state.settings = app.state.settings.model_copy(update={"material_max_bytes": 100 * 1024})
    headers = bearer(await sign_in_as(api, "personal"))
    boundary = "b0undary"
    data = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'.encode()
        + b"%PDF-1.4\n"
        + b"%" * (2 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )

    response = await api.post(
        "/me/materials",
        content=data if with_length else _streamed(data),
        headers={**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )

    assert_problem(response, 413, "material.too_large")


async def test_thousands_of_form_fields_in_an_upload_are_refused(api):
    headers = bearer(await sign_in_as(api, "personal"))
    files = [("name", (None, "x"))] * 5000 + [("file", ("a.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"))]

    response = await api.post("/me/materials", files=files, headers=headers)

    assert_problem(response, 400, "material.too_many_parts")



async def test_a_13_kib_png_declaring_10000_by_11000_pixels_is_refused_with_413(api):
    headers = bearer(await sign_in_as(api, "personal"))
    files = {"file": ("扫描件.png", crafted_images.png_bomb(10_000, 11_000), "image/png")}

    response = await api.post("/me/materials", files=files, headers=headers)

    assert_problem(response, 413, "material.image_too_large")

# -- bodies that are not what they say -----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"\xff\xfe\x00{", "application/json"),  # not UTF-8
        (b'{"username": ', "application/json"),  # truncated
        (b"[]", "application/json"),  # not an object
        (b"null", "application/json"),
        (b'{"username": "a", "username": "b", "password": 1}', "application/json"),
    ],
)
async def test_a_body_that_is_not_a_json_object_is_a_422(api, content, content_type):
    response = await api.post("/auth/login/password", content=content, headers={"Content-Type": content_type})

    assert_problem(response, 422, "validation_failed")


async def test_a_method_a_resource_lacks_names_every_method_it_has(client):
    response = await client.patch(f"/api/v1/applications/{UNKNOWN_ID}")

    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "DELETE, GET, PUT"


async def test_a_literal_path_is_not_taken_for_an_id(client, api):
    headers = bearer(await sign_in_as(api, "personal"))

    response = await client.delete("/api/v1/me/materials/quota", headers=headers)

    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET"


# -- public lookups under enumeration ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "unknown", "wrong"),
    [
        (
            "/public/progress",
            {"application_no": "HS20990101000001", "phone": "13900000000"},
            {"application_no": "HS20990101000001", "phone": "13911111111"},
        ),
        (
            "/public/certificate-lookup",
            {"certificate_no": "999999999999", "holder_name": "张三"},
            {"certificate_no": "999999999999", "holder_name": "李四"},
        ),
    ],
)
async def test_a_public_lookup_says_the_same_for_unknown_and_wrong_until_it_says_429(
    api, app, path, unknown, wrong
):
    limit = app.state.settings.public_queries_per_minute
    answers = [await api.post(path, json=unknown if n % 2 else wrong) for n in range(limit + 1)]

    refusals = [assert_problem(answer, answer.status_code) for answer in answers]
    assert {(r["status"], r["code"], r["title"], r["detail"]) for r in refusals[:limit]} == {
        (refusals[0]["status"], refusals[0]["code"], refusals[0]["title"], refusals[0]["detail"])
    }
    assert refusals[0]["status"] == 404
    assert refusals[-1]["status"] == 429 and answers[-1].headers["retry-after"]
