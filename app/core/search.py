"""Search text built once, when seed data is loaded (service items, pick lists).

Users type Chinese fragments (船员), full pinyin (chuanyuan) or initials (cydj); each row
stores one lowercase haystack holding all three forms of its names, so a request only
runs a substring match.
"""

import re
from typing import Annotated, Any

from fastapi import Query
from pypinyin import Style, lazy_pinyin

_SEPARATOR = "|"
_IGNORED = re.compile(r"[\s'’·\-_|%]+")


def build_search_text(phrases: list[str]) -> str:
    forms: list[str] = []
    for phrase in phrases:
        forms.append(phrase.casefold())
        syllables = lazy_pinyin(phrase, errors="ignore")
        if syllables:
            forms.append("".join(syllables).casefold())
            forms.append("".join(lazy_pinyin(phrase, style=Style.FIRST_LETTER, errors="ignore")).casefold())
    return _SEPARATOR + _SEPARATOR.join(forms) + _SEPARATOR


def like_pattern(query: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching ``query`` anywhere in a haystack."""
    needle = normalize_query(query)
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def normalize_query(query: str) -> str:
    """What a query is compared as: lowercase, without spaces or apostrophes (chuan'yuan)."""
    return _IGNORED.sub("", query.casefold())


# Control characters (NUL above all) are never part of a search and PostgreSQL refuses NUL.
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


def search_query(description: str, example: str, max_length: int = 50) -> Any:
    """The ``q`` query parameter of a searchable list."""
    return Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=max_length,
            pattern=_PRINTABLE,
            description=description,
            examples=[example],
        ),
    ]
