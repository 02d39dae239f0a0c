"""Search text built once, when seed data is loaded (service items, pick lists).

Users type Chinese fragments (船员), full pinyin (chuanyuan) or initials (cydj), and mix them
as they type (chuanbo登记, 船舶dj, cbdengji); each row stores one lowercase haystack holding
its names in Chinese, pinyin, initials, and initials turning into pinyin (or back) at every
character, so a request only runs a substring match. A query mixing Chinese and letters is
also tried with its Chinese spelt out in pinyin and in initials.
"""

import re
from typing import Annotated, Any

from fastapi import Query
from pypinyin import Style, lazy_pinyin
from sqlalchemy import or_

_SEPARATOR = "|"
_IGNORED = re.compile(r"[\s'’·\-_|%]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def build_search_text(phrases: list[str]) -> str:
    forms: list[str] = []
    for phrase in phrases:
        forms.append(phrase.casefold())
        syllables = [s.casefold() for s in lazy_pinyin(phrase, errors="ignore")]
        if syllables:
            initials = [i.casefold() for i in lazy_pinyin(phrase, style=Style.FIRST_LETTER, errors="ignore")]
            forms.append("".join(syllables))
            forms.append("".join(initials))
            # Typed as initials, then in full (cbdengji), or the other way round (chuanbodj).
            for k in range(1, len(syllables)):
                forms.append("".join(initials[:k] + syllables[k:]))
                forms.append("".join(syllables[:k] + initials[k:]))
    return _SEPARATOR + _SEPARATOR.join(dict.fromkeys(forms)) + _SEPARATOR


def like_patterns(query: str) -> list[str]:
    """LIKE patterns (escape character ``\\``) matching ``query`` anywhere in a haystack: the
    query itself and, when it mixes Chinese and letters, its Chinese in pinyin and in initials."""
    needle = normalize_query(query)
    needles = [needle]
    if _HAN.search(needle) and re.search(r"[a-z]", needle):
        needles.append("".join(lazy_pinyin(needle)))
        needles.append("".join(lazy_pinyin(needle, style=Style.FIRST_LETTER)))
    return [
        "%" + n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for n in dict.fromkeys(needles)
    ]


def matches(column: Any, query: str) -> Any:
    """The SQL condition: ``column`` (a haystack) contains ``query`` in one of its forms."""
    return or_(*(column.like(pattern, escape="\\") for pattern in like_patterns(query)))


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
