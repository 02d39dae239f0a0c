"""Base schema and the list envelope every collection endpoint returns."""

import re
from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from app.core.enums import LabelledEnum

T = TypeVar("T")

# Codes of agencies and service items as they appear in URLs and filters.
CODE_PATTERN = r"^[A-Za-z0-9_-]{1,16}$"
# Generated ids (UUIDv7) as they appear in URLs.
ID_PATTERN = r"^[0-9a-f-]{1,36}$"


# Stored in UTC, presented in China Standard Time (no daylight saving, so a fixed offset).
CHINA_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")


def china_time(moment: datetime) -> datetime:
    return moment.astimezone(CHINA_TIME)


LocalDateTime = Annotated[
    datetime,
    PlainSerializer(lambda moment: china_time(moment).isoformat(), return_type=str, when_used="json"),
]


# A calendar day as people write it. Pydantic alone would also read a number ("0") as days since
# 1970, which `format: date` does not allow: the schema and the check say the same.
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _written_date(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(DATE_PATTERN, value)):
        return value
    raise PydanticCustomError("date_format", "请按 2026-12-07 的格式填写日期")


WrittenDate = Annotated[
    date,
    BeforeValidator(_written_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]


class AppModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


# C0 controls but tab and line breaks, and DEL: no text a person types has them, and
# PostgreSQL cannot store NUL at all. Written as \x escapes, the same text is a Python, a Rust
# (pydantic-core) and an ECMA-262 (JSON Schema) character class, like the classes below.
CONTROL_CHARACTER_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
CONTROL_CHARACTERS = "control_characters"
CONTROL_CHARACTERS_MESSAGE = "不能包含控制字符"
NO_CONTROL_PATTERN = rf"^[^{CONTROL_CHARACTER_CLASS}]*$"
_CONTROL_CHARACTERS = re.compile(f"[{CONTROL_CHARACTER_CLASS}]")


def has_control_characters(value: Any) -> bool:
    if isinstance(value, str):
        return _CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(has_control_characters(item) for pair in value.items() for item in pair)
    if isinstance(value, list | tuple):
        return any(has_control_characters(item) for item in value)
    return False


# Bidi controls and invisible characters: "报告\u202egnp.exe.pdf" shows as "报告fdp.exe.png", and a
# zero-width space makes two names that look the same differ. No name anyone types has them:
# soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul fillers, Khmer invisible
# vowels, Mongolian vowel separator, zero-width spaces/joiners and LRM/RLM (U+200B–U+200F), line
# and paragraph separators, embeddings and overrides (U+202A–U+202E), word joiner and invisible
# operators (U+2060–U+2064), isolates and deprecated format controls (U+2066–U+206F), the BOM
# (U+FEFF) and interlinear annotation marks. Written as \u escapes, the same text is a Python,
# a Rust (pydantic-core) and an ECMA-262 (JSON Schema) character class.
INVISIBLE_CHARACTER_CLASS = (
    r"\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e"
    r"\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
)
INVISIBLE_CHARACTERS = "invisible_characters"
INVISIBLE_CHARACTERS_MESSAGE = "不能包含不可见字符或文字方向控制符"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTER_CLASS}]")

# What ``strip_whitespace`` (pydantic-core's ``trim``, Unicode White_Space) and ``str.strip`` remove
# from either end of a value, less the control characters refused anywhere. Line and paragraph
# separators are whitespace too, but invisible characters, refused anywhere in Visible text.
STRIPPED_WHITESPACE_CLASS = r"\t\n\r \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
LINE_SEPARATOR_CLASS = r"\u2028\u2029"
STRIPPED_WHITESPACE = "".join(
    ["\t\n\r \x85\xa0\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f\u205f\u3000"]
)


def has_invisible_characters(text: str) -> bool:
    return _INVISIBLE.search(text) is not None


def stripped_pattern(core: str, *, visible: bool = False) -> str:
    """The JSON Schema pattern of a value matched by ``core`` once stripped of whitespace."""
    space = STRIPPED_WHITESPACE_CLASS + ("" if visible else LINE_SEPARATOR_CLASS)
    return rf"^[{space}]*(?:{core.removeprefix('^').removesuffix('$')})[{space}]*$"


def text_pattern(*, strip: bool, min_length: int = 0, visible: bool = False) -> str:
    """The JSON Schema pattern of free text: no control (nor, if ``visible``, invisible)
    characters, and when stripped of whitespace at least ``min_length`` characters left (counted
    by the pattern only up to two, where neither UTF-16 units nor ranges matter; the
    ``minLength`` beside it counts the rest)."""
    refused = CONTROL_CHARACTER_CLASS + (INVISIBLE_CHARACTER_CLASS if visible else "")
    space = STRIPPED_WHITESPACE_CLASS + ("" if visible else LINE_SEPARATOR_CLASS)
    if not strip or min_length == 0:
        return rf"^[^{refused}]*$"
    if min_length > 2:
        raise ValueError("say a stripped minimum above 2 with an explicit pattern")
    any_, solid = f"[^{refused}]", f"[^{space}{refused}]"
    return f"^{any_}*{solid}{any_}*{solid}{any_}*$" if min_length == 2 else f"^{any_}*{solid}{any_}*$"


def _string_schema(schema: CoreSchema) -> dict[str, Any]:
    """The constrained ``str`` schema a text marker wraps (``{}`` for anything else)."""
    while schema.get("type") in {"function-before", "function-after", "function-plain", "function-wrap"}:
        schema = schema.get("schema", {})  # type: ignore[assignment]
    return dict(schema) if schema.get("type") == "str" else {}


class _Text:
    """Marks a free-text type of a request: its JSON Schema ``pattern`` says what the validation
    refuses (control characters; bidi controls and invisible characters when ``visible``, refused
    before any other check so the answer says why; whitespace-only values when the type strips
    and needs content), and a stripped type's ``max_length`` holds before stripping too, so that
    ``maxLength`` means the same to a client as to the validation. A type with its own pattern
    keeps it, widened by the whitespace the validation strips."""

    def __init__(self, *, visible: bool) -> None:
        self.visible = visible

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        inner = handler(source)
        string = _string_schema(inner)
        raw_max = string.get("max_length") if string.get("strip_whitespace") else None
        visible = self.visible

        def refuse(value: Any) -> Any:
            if isinstance(value, str):
                if visible and has_invisible_characters(value):
                    raise PydanticCustomError(INVISIBLE_CHARACTERS, INVISIBLE_CHARACTERS_MESSAGE)
                if raw_max is not None and len(value) > raw_max:
                    raise PydanticCustomError(
                        "string_too_long", "长度不能超过 {max_length} 个字符", {"max_length": raw_max}
                    )
            return value

        return core_schema.no_info_before_validator_function(refuse, inner)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        string = _string_schema(schema)
        strip = bool(string.get("strip_whitespace"))
        if "pattern" in string:
            if strip:
                json_schema["pattern"] = stripped_pattern(string["pattern"], visible=self.visible)
        else:
            json_schema["pattern"] = text_pattern(
                strip=strip, min_length=string.get("min_length", 0), visible=self.visible
            )
        return json_schema


# Every user-supplied name (people, companies, ships, certificate holders, materials) is one.
Visible = _Text(visible=True)
# Any other free text of a request (comments, reasons, passwords, tickets …).
Text = _Text(visible=False)


def _clean_strings(node: Any) -> None:
    """A request's strings without a pattern of their own say that control characters are refused."""
    if not isinstance(node, dict) or "$ref" in node:
        return  # another model (a request model says it itself) or an enum
    if node.get("type") == "string" and not {"pattern", "enum", "const", "format"} & node.keys():
        node["pattern"] = NO_CONTROL_PATTERN
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            _clean_strings(option)
    for key in ("items", "additionalProperties"):
        _clean_strings(node.get(key))


class RequestModel(AppModel):
    """A request body: unknown fields are refused (no mass assignment of status, role …),
    and so is text with control characters, in any field however deep (free-form forms too).
    Its JSON Schema says so for every string."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if has_control_characters(value):
            raise PydanticCustomError(CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE)
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        for field in handler.resolve_ref_schema(json_schema).get("properties", {}).values():
            _clean_strings(field)
        return json_schema


# Text with something in it once stripped: what a rule "X is required when …" asks of a comment.
NON_BLANK: dict[str, Any] = {"type": "string", "pattern": text_pattern(strip=True, min_length=1)}
NOT_NULL: dict[str, Any] = {"not": {"type": "null"}}


def required_when(field: str, values: list[Any], then: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema rule of a request whose fields depend on another: when ``field`` is one of
    ``values``, ``then`` holds (the service checks the same and names the field in zh-CN)."""
    return {"if": {"properties": {field: {"enum": values}}, "required": [field]}, "then": then}


# A free-form JSON object whose strings (keys too), however deep, hold no control characters,
# as RequestModel checks: the document defines it once (app.core.openapi), forms refer to it.
FORM_VALUE_SCHEMA: dict[str, Any] = {
    "description": "表单取值：任意 JSON，其中的文本（含字段名）不能包含控制字符",
    "anyOf": [
        {"type": "string", "pattern": NO_CONTROL_PATTERN},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "null"},
        {"type": "array", "items": {"$ref": "#/components/schemas/FormValue"}},
        {
            "type": "object",
            "propertyNames": {"pattern": NO_CONTROL_PATTERN},
            "additionalProperties": {"$ref": "#/components/schemas/FormValue"},
        },
    ],
}
FormObject = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"pattern": NO_CONTROL_PATTERN},
            "additionalProperties": {"$ref": "#/components/schemas/FormValue"},
        }
    ),
]


class Page(AppModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="传给下一次请求的 `cursor`；为 null 表示没有更多数据"
    )


class Coded(AppModel):
    """A code with its zh-CN label, as the clients show it."""

    code: str
    label: str

    @classmethod
    def of(cls, value: LabelledEnum) -> "Coded":
        return cls(code=value.value, label=value.label)
