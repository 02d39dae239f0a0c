"""The OpenAPI document says what the validation says: integrators generate clients from it.

For every string field of every request body, a table of awkward values (empty, blank, padded,
control and invisible characters, line separators, other scripts' digits, lower case, one
character too many …) goes through the field's validation and through the field's schema in the
document: both accept or both refuse. Only the semantic refusals that tests/support/fuzz_checks.py
lists (check digits, dates that do not exist) may be the validation's alone. The patterns mean the
same to Python and to an ECMA-262 engine (Node), as JSON Schema patterns are ECMA-262.

No database: the document and the models are enough.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Any

import pytest
from jsonschema import Draft202012Validator, ValidationError as SchemaError, validators
from pydantic import TypeAdapter, ValidationError

from app.applications.deps import IF_MATCH_PATTERN, _expected_version
from app.audit.deps import QueryDateTime
from app.core.errors import InvalidInput
from app.core.identifiers import CREDIT_CODE_SYNTAX, IMO_SYNTAX
from app.core.schemas import (
    STRIPPED_WHITESPACE,
    STRIPPED_WHITESPACE_CLASS,
    RequestModel,
    has_control_characters,
)
from app.main import create_app
from tests.support.fuzz_checks import SEMANTIC_ERRORS

DOCUMENT = create_app().openapi()
SCHEMAS = DOCUMENT["components"]["schemas"]
ONLINE_ITEMS = Path(__file__).parents[1] / "app" / "catalog" / "seed" / "online_items.json"


def _ecma_pattern(validator, pattern, instance, schema):
    """``pattern`` as ECMA-262 reads it: ``$`` ends the text (Python's also matches before a
    final line break)."""
    if isinstance(instance, str) and not re.search(_as_ecma(pattern), instance):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


def _as_ecma(pattern: str) -> str:
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern


EcmaValidator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


def schema_accepts(schema: dict, value: Any) -> bool:
    """Whether ``value`` is valid against ``schema``, a part of the document."""
    validator = EcmaValidator(
        {**DOCUMENT, **schema, "$schema": "https://json-schema.org/draft/2020-12/schema"},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return validator.is_valid(value)


def body_schema(model: str, field: str | None = None) -> dict:
    pointer = f"#/components/schemas/{model}" + (f"/properties/{field}" if field else "")
    return {"$ref": pointer}


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if "$ref" in node else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def _request_components() -> set[str]:
    """The components a request body refers to, however deep."""
    names = _refs([op.get("requestBody", {}) for item in DOCUMENT["paths"].values() for op in item.values()])
    pending = set(names)
    while pending:
        more = _refs(SCHEMAS[pending.pop()]) - names
        names |= more
        pending |= more
    return names


def _request_models() -> dict[str, type[RequestModel]]:
    wanted = _request_components()
    found, pending = {}, list(RequestModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending += model.__subclasses__()
        if model.__name__ in wanted:
            found[model.__name__] = model
    return found


MODELS = _request_models()


def _field_adapter(model: type[RequestModel], field: str) -> TypeAdapter:
    info = model.model_fields[field]
    return TypeAdapter(Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation)


def validation_refusal(model: type[RequestModel], field: str, value: Any) -> list[str] | None:
    """None when the field's validation accepts ``value``, else the error types."""
    if has_control_characters(value):
        return ["control_characters"]  # RequestModel's check of every field, however deep
    try:
        _field_adapter(model, field).validate_python(value)
    except ValidationError as error:
        return [item["type"] for item in error.errors()]
    return None


def _is_string_field(schema: dict) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("type") == "string" for option in options)


STRING_FIELDS = [
    (name, field)
    for name, model in sorted(MODELS.items())
    for field, schema in SCHEMAS[name].get("properties", {}).items()
    if _is_string_field(schema)
]

GENERIC_PROBES = [
    "",
    " ",
    "  ",
    "\u3000",
    "a",
    "ab",
    " ab ",
    "\tab\n",
    "a b",
    "A b",
    "张",
    "张三",
    " 张三 ",
    "张 三",
    "·张三",
    "张·三",
    "Anna Lee",
    "\x00",
    "a\x00b",
    "a\x1fb",
    "a\x7fb",
    "a\x0bb",
    "a\tb",
    "a\nb",
    "a\u202eb",
    "\u200bab",
    "ab\ufeff",
    "a\u2028b",
    "\u2028ab",
    "ab\u2029",
    "ab\u0085",
    "\u00a0ab\u00a0",
    "ab\n",
    "a/b",
    "a..b",
    "😀😀",
    "x" * 7,
    "١٣٨١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    "١٢٣٤٥٦",
    "0000000",
    "123456",
    "12345-ABCDE",
    "abcde-fghjk",
    " 123456 ",
    "13812345678",
    " 13812345678 ",
    "13812345678\n",
    "23812345678",
    "1381234567",
    "11010519491231002X",
    "11010519491231002x",
    " 11010519491231002x\u3000",
    "11010519491331002X",
    "110105194912310021",
    "91310115MA1K3Y8Q5Q",
    "91310115ma1k3y8q5q",
    "91310115MA1K3Y8Q5I",
    "9876543",
    "9876542",
    "413123450",
    "813123450",
    "BQHM",
    "bqhm",
    "BQ",
    "CN",
    "cn",
    "C1",
    "HS20261127042817",
    "hs20261127042817",
    " HS20261127042817 ",
    "HS2026112704281",
    "0123abcd-0000-7000-8000-000000000000",
    "shipping-co",
    " Shipping-Co ",
    "1abc",
    "abc",
    "a" * 33,
    "report_materials",
    "Report",
    "WF-002",
    "Q6mAcaG4Xzq0oUHIXovbRJXdrbShi1xHbGIQ5yeE2Uo",
    "2026-11",
]


def _length_probes(schema: dict) -> list[str]:
    options = schema.get("anyOf", [schema])
    limits = {option[key] for option in options for key in ("minLength", "maxLength") if key in option}
    probes = []
    for limit in limits:
        for length in (limit - 1, limit, limit + 1):
            if length >= 0:
                probes += ["a" * length, " " + "a" * length, "a" * length + " ", "张" * length]
    return probes


def _examples(schema: dict) -> list[str]:
    examples = [example for example in schema.get("examples", []) if isinstance(example, str)]
    return [variant for example in examples for variant in (example, f" {example} ", example.lower())]


@pytest.mark.parametrize(("model", "field"), STRING_FIELDS, ids=[f"{m}.{f}" for m, f in STRING_FIELDS])
def test_the_schema_of_each_request_field_refuses_what_its_validation_refuses(model, field):
    schema = SCHEMAS[model]["properties"][field]
    disagreements = []
    for value in GENERIC_PROBES + _length_probes(schema) + _examples(schema):
        refusal = validation_refusal(MODELS[model], field, value)
        semantic = refusal is not None and all(kind in SEMANTIC_ERRORS for kind in refusal)
        if semantic:
            continue
        if schema_accepts(body_schema(model, field), value) != (refusal is None):
            disagreements.append((value, refusal))
    assert not disagreements, f"{model}.{field}: schema and validation disagree on {disagreements}"


# The examples of the issue, one by one.
@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        ("PersonalRegistration", "phone", ""),
        ("PublicProgressQuery", "phone", "021-68287181"),
        ("PhoneChange", "new_phone", "1381234567"),
        ("PersonalRegistration", "id_number", "3****************6"),
        ("CorporateRegistration", "operator_id_number", ""),
        ("FaceSessionRequest", "id_number", "11010519491331002X"),
        ("CorporateRegistration", "credit_code", "91310115MA1K3Y8Q5"),
        ("PasswordLogin", "password", "Harbour\x00#2026"),
        ("PersonalLogin", "verify_result", "fake:\x1apass"),
        ("EnrolmentStart", "ticket", "\x0c" * 16),
        ("CorporateRegistration", "company_name", "上海\u202e航运"),
        ("ShipCreate", "name", "海港\u200b明珠"),
        ("ShipCreate", "flag", ""),
        ("ShipCreate", "call_sign", "BQ"),
        ("ShipCreate", "imo_number", "١٢٣٤٥٦٧"),
        ("CorrectionCreate", "reason", "  "),
        ("AccountRequestCreate", "reason", "x" * 201),
        ("EvaluationCreate", "comment", "好" * 501),
        ("SecondFactorLogin", "code", "١٢٣٤٥٦"),
    ],
)
def test_what_the_validation_refuses_the_schema_refuses(model, field, value):
    assert validation_refusal(MODELS[model], field, value) is not None
    assert not schema_accepts(body_schema(model, field), value)


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        ("PersonalRegistration", "phone", " 13812345678 "),
        ("FaceSessionRequest", "id_number", "11010519491231002x"),
        ("CorporateRegistration", "credit_code", "91310115ma1k3y8q5q"),
        ("ShipCreate", "flag", "cn"),
        ("AccountRequestCreate", "name", " 王五 "),
        ("CertificateLookup", "holder_name", "张三"),
    ],
)
def test_what_the_validation_accepts_the_schema_accepts(model, field, value):
    assert validation_refusal(MODELS[model], field, value) is None
    assert schema_accepts(body_schema(model, field), value)


def test_a_check_digit_is_the_validations_alone():
    """Syntax in the schema, arithmetic in the validation: a wrong check digit is schema-valid."""
    wrong = "11010519491231002" + "1"
    assert validation_refusal(MODELS["FaceSessionRequest"], "id_number", wrong) == ["id_card.check_digit"]
    assert schema_accepts(body_schema("FaceSessionRequest", "id_number"), wrong)


def test_free_form_forms_refuse_control_characters_at_any_depth_in_the_schema_too():
    form = body_schema("ApplicationDraft", "form")
    assert schema_accepts(form, {"ship": {"name": "海港明珠", "tags": ["a", 1, None, True]}})
    assert not schema_accepts(form, {"ship": {"name": "海港\x00明珠"}})
    assert not schema_accepts(form, {"ships": [{"name": ["\x1b"]}]})
    assert not schema_accepts(form, {"na\x00me": "x"})


_ITEM = {"target": "material", "key": "report_materials", "reason": "缺少检测报告"}


@pytest.mark.parametrize(
    ("model", "body", "valid"),
    [
        ("Decision", {"action": "accept"}, True),
        ("Decision", {"action": "reject"}, False),
        ("Decision", {"action": "decline", "comment": "  "}, False),
        ("Decision", {"action": "decline", "comment": "不符合条件"}, False),
        ("Decision", {"action": "decline", "comment": "不符合条件", "denial": {"legal_basis": ["《规定》"]}}, True),
        ("Decision", {"action": "decline", "comment": "不符合条件", "denial": {"legal_basis": []}}, False),
        ("Decision", {"action": "accept", "denial": {"legal_basis": ["《规定》"]}}, False),
        ("Decision", {"action": "accept", "filing_number": "沪海污备〔2026〕0017"}, False),
        ("Decision", {"action": "approve", "filing_number": "沪海污备〔2026〕0017"}, True),
        ("Decision", {"action": "approve", "filing_number": "ab"}, False),
        ("Decision", {"action": "request_supplement", "comment": "补正"}, False),
        ("Decision", {"action": "request_supplement", "comment": "补正", "missing_materials": ["报告"]}, True),
        ("Decision", {"action": "request_supplement", "comment": "补正", "supplement_items": []}, False),
        (
            "Decision",
            {"action": "request_supplement", "comment": "补正", "supplement_items": [_ITEM] * 31},
            False,
        ),
        ("Decision", {"action": "request_supplement", "comment": "补正", "supplement_items": [_ITEM]}, True),
        (
            "Decision",
            {"action": "request_supplement", "comment": "补正", "supplement_items": [{**_ITEM, "reason": " "}]},
            False,
        ),
        (
            "Decision",
            {"action": "request_supplement", "comment": "补正", "supplement_items": [{**_ITEM, "target": "x"}]},
            False,
        ),
        ("Decision", {"action": "accept", "supplement_items": [_ITEM]}, False),
        ("EvaluationCreate", {"rating": 2}, False),
        ("EvaluationCreate", {"rating": 1, "comment": None}, False),
        ("EvaluationCreate", {"rating": 1, "comment": "太慢"}, True),
        ("EvaluationCreate", {"rating": 3}, True),
        ("CorrectionDecision", {"action": "reject", "comment": " "}, False),
        ("CorrectionDecision", {"action": "accept"}, True),
        ("OperatorAccountCreate", {"role": "staff", "username": "li.si", "name": "李四"}, False),
        ("OperatorAccountCreate", {"role": "staff", "username": "li.si", "name": "李四", "agency_code": "X"}, True),
        ("OperatorAccountCreate", {"role": "auditor", "username": "li.si", "name": "李四"}, True),
        ("AccountRequestCreate", {"action": "create_account", "reason": "新任", "role": "auditor"}, False),
        (
            "AccountRequestCreate",
            {"action": "create_account", "reason": "新任", "role": "auditor", "username": "wang", "name": "王五"},
            True,
        ),
        ("AccountRequestCreate", {"action": "unlock", "reason": "忘记", "username": "wang.wu"}, False),
        ("AccountRequestCreate", {"action": "unlock", "reason": "忘记"}, False),
        ("AccountRequestCreate", {"action": "unlock", "reason": "忘记", "account_id": "0123abcd"}, True),
    ],
)
def test_which_fields_one_field_asks_for_is_in_the_schema(model, body, valid):
    """Rules across fields (a reason to reject, the account of an action) are JSON Schema too."""
    assert schema_accepts(body_schema(model), body) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("3", True), ('"3"', True), ('W/"12"', True), ("null", False), ("0" * 10, False), ("", False)],
)
async def test_if_match_says_its_version_syntax(value, valid):
    try:
        await _expected_version(value)
        accepted = True
    except InvalidInput:
        accepted = False

    assert accepted is valid
    assert bool(re.search(_as_ecma(IF_MATCH_PATTERN), value)) is valid


@pytest.mark.parametrize(
    "value",
    ["2026-11-27T08:00:00+08:00", "2026-11-27t08:00:00z", "2026-11-27T08:00:00.5Z", "0.5", "2026-11-27"],
)
def test_audit_times_agree_with_their_schema(value):
    schema = TypeAdapter(QueryDateTime).json_schema()
    try:
        TypeAdapter(QueryDateTime).validate_python(value)
        accepted = True
    except ValidationError:
        accepted = False
    assert schema_accepts(schema, value) == accepted


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(value) for value in node))
    return set()


PATTERNS = sorted(_patterns(DOCUMENT))


def test_patterns_use_nothing_that_python_and_ecma_read_differently():
    """``\\d``, ``\\w``, ``\\s`` and ``\\b`` are Unicode-aware in Python and pydantic-core, ASCII in
    ECMA-262; ``\\A``, ``\\Z`` and named groups are not ECMA-262 at all."""
    divergent = re.compile(r"\\[dDwWsSbBAZz]|\(\?P|\(\?<[A-Za-z]")
    assert [pattern for pattern in PATTERNS if divergent.search(pattern)] == []


@pytest.mark.skipif(shutil.which("node") is None, reason="no ECMA-262 engine (Node) here")
def test_every_pattern_of_the_document_means_the_same_to_an_ecma_engine():
    probes = GENERIC_PROBES + ["HS20261127042817", "01a24dc9-1e0a-739d-bcd4-426db24767bc", "报告.pdf"]
    script = """
const {patterns, probes} = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const verdicts = patterns.map((p) => { const r = new RegExp(p, 'u'); return probes.map((s) => r.test(s)); });
console.log(JSON.stringify(verdicts));
"""
    answer = subprocess.run(
        ["node", "-e", script],
        input=json.dumps({"patterns": PATTERNS, "probes": probes}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    ecma = json.loads(answer.stdout)
    python = [[re.search(_as_ecma(pattern), probe) is not None for probe in probes] for pattern in PATTERNS]
    differ = [
        (pattern, probe)
        for pattern, by_ecma, by_python in zip(PATTERNS, ecma, python, strict=True)
        for probe, e, p in zip(probes, by_ecma, by_python, strict=True)
        if e != p
    ]
    assert differ == []


def _form_strings(node: Any, key: str = "") -> list[tuple[str, dict]]:
    if not isinstance(node, dict):
        return []
    found = [(key, node)] if node.get("type") == "string" else []
    for name, child in node.get("properties", {}).items():
        found += _form_strings(child, name)
    return found + _form_strings(node.get("items"), key)


def test_the_forms_of_online_items_state_the_syntax_their_identifier_checks_need():
    """A form's JSON Schema (served with the item) carries the syntax; the submission checks only
    the check digit beyond it (app.applications.validation)."""
    syntax = {
        "imo_number": IMO_SYNTAX,
        "credit_code": CREDIT_CODE_SYNTAX,
        "unified_credit_code": CREDIT_CODE_SYNTAX,
    }
    items = json.loads(ONLINE_ITEMS.read_text(encoding="utf-8"))
    fields = [field for item in items for field in _form_strings(item["form_schema"]) if field[0] in syntax]

    assert fields
    wrong = [(key, node.get("pattern")) for key, node in fields if node.get("pattern") != f"^{syntax[key]}$"]
    assert wrong == []


def test_the_whitespace_a_pattern_allows_around_a_value_is_what_the_validation_strips():
    """Unicode whitespace (what pydantic-core's trim and str.strip remove), less the control
    characters refused before stripping; line separators are the invisible characters among them."""
    whitespace = {chr(code) for code in range(0x110000) if chr(code).isspace()}
    allowed = {c for c in whitespace if not has_control_characters(c)} - {"\u2028", "\u2029"}

    assert set(STRIPPED_WHITESPACE) == allowed
    assert {c for c in whitespace if re.fullmatch(f"[{STRIPPED_WHITESPACE_CLASS}]", c)} == allowed
