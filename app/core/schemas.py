"""Base schema and the list envelope every collection endpoint returns."""

import re
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

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


class AppModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


# C0 controls but tab and line breaks, and DEL: no text a person types has them, and
# PostgreSQL cannot store NUL at all.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_control_characters(value: Any) -> bool:
    if isinstance(value, str):
        return _CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(_has_control_characters(item) for pair in value.items() for item in pair)
    if isinstance(value, list | tuple):
        return any(_has_control_characters(item) for item in value)
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
VISIBLE_TEXT_PATTERN = rf"^[^{INVISIBLE_CHARACTER_CLASS}]*$"
INVISIBLE_CHARACTERS = "invisible_characters"
INVISIBLE_CHARACTERS_MESSAGE = "不能包含不可见字符或文字方向控制符（如 U+202E、U+200B）"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTER_CLASS}]")


def has_invisible_characters(text: str) -> bool:
    return _INVISIBLE.search(text) is not None


def _refuse_invisible(value: Any) -> Any:
    if isinstance(value, str) and has_invisible_characters(value):
        raise PydanticCustomError(INVISIBLE_CHARACTERS, INVISIBLE_CHARACTERS_MESSAGE)
    return value


class _Visible:
    """Marks a name type: bidi controls and invisible characters are refused (before any other
    check, so the answer says why), and its JSON Schema says so with a ``pattern`` unless the
    type's own pattern already leaves them out."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_refuse_invisible, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault("pattern", VISIBLE_TEXT_PATTERN)
        return json_schema


# Every user-supplied name (people, companies, ships, certificate holders, materials) is one.
Visible = _Visible()


class RequestModel(AppModel):
    """A request body: unknown fields are refused (no mass assignment of status, role …),
    and so is text with control characters, in any field however deep (free-form forms too)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if _has_control_characters(value):
            raise ValueError("不能包含控制字符")
        return value


class Page(AppModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="传给下一次请求的 `cursor`；为 null 表示没有更多数据"
    )


class Coded(AppModel):
    """A code with its zh-CN label, as the clients show it."""

    code: str
    label: str
