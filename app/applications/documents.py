"""Notices and decisions as PDF: one template per document, from the notice's content alone.

The text is set in a subset of Noto Serif SC that ships with the package (fonts/, built by
scripts/build_pdf_font.py) and is embedded in every PDF, so phones without Chinese fonts show it.
The renderer needs no database: `render_pdf(content)` takes the JSON a notice was issued with and
renders whichever keys are present (older notices lack the newer ones).
"""

import io
import logging
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from anyio import to_thread
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

log = logging.getLogger(__name__)

FONTS = Path(__file__).parent / "fonts"
REGULAR = "NotoSerifSC"
BOLD = "NotoSerifSC-Bold"

Story = list[Flowable]


@cache
def _fonts() -> dict[str, TTFont]:
    """Registers the embedded fonts, once."""
    fonts = {}
    for name, file in ((REGULAR, "NotoSerifSC-Regular-subset.ttf"), (BOLD, "NotoSerifSC-Bold-subset.ttf")):
        fonts[name] = TTFont(name, str(FONTS / file))
        pdfmetrics.registerFont(fonts[name])
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return fonts


def missing_characters(text: str) -> str:
    """The characters of `text` the embedded body font has no glyph for."""
    glyphs = _fonts()[REGULAR].face.charToGlyph
    return "".join(dict.fromkeys(c for c in text if glyphs.get(ord(c), 0) == 0 and not c.isspace()))


def _markup(value: Any, font: str = REGULAR) -> str:
    """Paragraph markup of a plain value: escaped, each character in a font that has it.

    A character the bold subset lacks falls back to the regular face. One neither has (outside
    GBK and the 通用规范汉字表, e.g. a name in CJK extension B) must not vanish: it is drawn as the
    font's box (.notdef) yet keeps its code in the PDF's ToUnicode map, so copying and text
    extraction still give the character, and it is logged.
    """
    text = str(value)
    fonts = _fonts()
    if lost := missing_characters(text):
        log.warning(
            "document text has characters the embedded font lacks",
            extra={"characters": [f"U+{ord(c):04X}" for c in lost]},
        )
        for char in lost:  # reportlab would map it to code 0, losing the text: give it the box
            fonts[REGULAR].face.charToGlyph.setdefault(ord(char), 0)
    bold = fonts[BOLD].face.charToGlyph
    out = []
    for char in text:
        escaped = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char, char)
        if font != REGULAR and ord(char) not in bold and not char.isspace():
            escaped = f'<font name="{REGULAR}">{escaped}</font>'
        out.append(escaped)
    return "".join(out)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond the BMP written as UTF-16 (surrogates).

    reportlab 5.1 writes them as 5 hex digits, which readers reject: a name such as 王𬌗 would
    lose its last character when copied or extracted.
    """
    cmap = _reportlab_to_unicode_cmap(fontname, subset)
    for code in subset:
        if code > 0xFFFF:
            cmap = cmap.replace(f"<{code:04X}>", f"<{chr(code).encode('utf-16-be').hex().upper()}>")
    return cmap


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


# -- styles ------------------------------------------------------------------------------------

_SIZE = 12
_TITLE = ParagraphStyle(
    "title", fontName=BOLD, fontSize=22, leading=32, alignment=1, spaceAfter=2 * mm, wordWrap="CJK"
)
_NUMBER = ParagraphStyle("number", fontName=REGULAR, fontSize=_SIZE, leading=20, alignment=1, wordWrap="CJK")
_BODY = ParagraphStyle(
    "body",
    fontName=REGULAR,
    fontSize=_SIZE,
    leading=22,
    firstLineIndent=2 * _SIZE,
    spaceAfter=1 * mm,
    wordWrap="CJK",  # breaks between hanzi, never before 。，、 or after （
)
_TO = ParagraphStyle("to", parent=_BODY, firstLineIndent=0, spaceBefore=6 * mm)
_HEADING = ParagraphStyle("heading", parent=_BODY, fontName=BOLD, spaceBefore=2 * mm)
_ITEM = ParagraphStyle(
    "item",
    parent=_BODY,
    firstLineIndent=0,
    leftIndent=4 * _SIZE,
    bulletIndent=2 * _SIZE,
    bulletFontName=REGULAR,
)
_FACT = ParagraphStyle("fact", parent=_BODY, firstLineIndent=-5 * _SIZE, leftIndent=7 * _SIZE)
_SIGN = ParagraphStyle("sign", parent=_BODY, firstLineIndent=0, alignment=2, rightIndent=2 * _SIZE)


def _para(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    """A paragraph of template text (markup already safe) with values put in by `_markup`."""
    return Paragraph(text, style)


def _bold(text: str) -> str:
    return f"<b>{_markup(text, BOLD)}</b>"


def _heading(text: str) -> Paragraph:
    return Paragraph(_markup(text, BOLD), _HEADING)


def _numbered(lines: list[str]) -> Story:
    return [Paragraph(line, _ITEM, bulletText=f"{n}.") for n, line in enumerate(lines, 1)]


def _fact(label: str, value: Any) -> Paragraph:
    return Paragraph(f"{_bold(label)}：{_markup(value)}", _FACT)


def zh_date(value: Any) -> str:
    """2026-12-07 as 2026年12月7日 (anything else as it is)."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.year}年{day.month}月{day.day}日"


# -- the parts every document shares -------------------------------------------------------------

# Besides what the opening sentence says (number, item, date) and the addressee.
_FACTS = (("contact_name", "联系人"), ("fuel_supplier", "燃油供应商"))
_ALL_FACTS = (
    ("application_no", "申请编号"),
    ("item", "申请事项"),
    ("applicant", "申请人"),
    *_FACTS,
    ("submitted_on", "申请日期"),
)
_TIME_LIMITS = (("statutory_time_limit", "法定办结时限"), ("promised_time_limit", "承诺办结时限"))


def _facts(content: dict[str, Any], keys: tuple[tuple[str, str], ...] = _FACTS) -> Story:
    story: Story = []
    for key, label in keys:
        if content.get(key):
            value = zh_date(content[key]) if key == "submitted_on" else content[key]
            story.append(_fact(label, value))
    return story


def _you(content: dict[str, Any], verb: str = "提交", noun: str = "申请") -> str:
    """"你（单位）于2026年12月7日提交的××申请（申请编号：…）" as far as the content says."""
    when = f"于{_markup(zh_date(content['submitted_on']))}" if content.get("submitted_on") else ""
    what = _markup(content.get("item") or "")
    number = f"（申请编号：{_markup(content['application_no'])}）" if content.get("application_no") else ""
    return f"你（单位）{when}{verb}的{what}{noun}{number}"


def _materials(content: dict[str, Any]) -> Story:
    names = content.get("materials_received") or []
    if not names:
        return []
    return [_heading("收到的申请材料"), *_numbered([_markup(name) for name in names])]


def _legal_basis(basis: Any, heading: str = "法律依据") -> Story:
    if not basis:
        return []
    items = basis if isinstance(basis, list) else [basis]
    return [_heading(heading), *_numbered([_markup(law) for law in items])]


def _comment(content: dict[str, Any], label: str = "办理意见") -> Story:
    return [_para(f"{_bold(label)}：{_markup(content['comment'])}")] if content.get("comment") else []


def _remedies(text: Any) -> Story:
    return [_heading("救济途径"), _para(_markup(text))] if text else []


# -- one template per document -------------------------------------------------------------------


def _acceptance(c: dict[str, Any]) -> Story:
    story = [
        _para(f"{_you(c)}，经审查，申请材料齐全、符合法定形式，本机关决定予以受理。"),
    ]
    if c.get("promised_time_limit"):
        story.append(_para("本机关将在承诺办结时限内作出决定，办理结果将通过“海事一网通办”告知你（单位）。"))
    facts = _facts(c, _FACTS + _TIME_LIMITS)
    return [*story, *_comment(c), *facts, *_materials(c), *_legal_basis(c.get("legal_basis"))]


def _rejection(c: dict[str, Any]) -> Story:
    return [
        _para(f"{_you(c)}，经审查，本机关决定不予受理。"),
        *_comment(c, "不予受理的理由"),
        *_facts(c),
        *_legal_basis(c.get("legal_basis")),
        *_remedies(c.get("appeal_rights")),
    ]


_TARGET = {"material": "申请材料", "field": "申请表内容"}


def _supplement(c: dict[str, Any]) -> Story:
    story = [
        _para(
            f"{_you(c)}，经审查，申请材料不齐全或者不符合法定形式。"
            "现将需要补正的全部内容一次性告知如下："
        )
    ]
    items = c.get("supplement_items") or []
    if items:
        lines = []
        for item in items:
            kind = _TARGET.get(item.get("target"), "")
            line = _markup(item.get("label") or item.get("key") or "")
            if kind:
                line += f"（{kind}）"
            if item.get("reason"):
                line += f"：{_markup(item['reason'])}"
            lines.append(line)
        story += [_heading("需补正的内容（一次性告知）"), *_numbered(lines)]
    elif c.get("missing_materials"):
        story += [
            _heading("需补正的材料（一次性告知）"),
            *_numbered([_markup(name) for name in c["missing_materials"]]),
        ]
    story += [
        *_comment(c, "其他说明"),
        _para("请按上述要求补正后重新提交。补正期间不计入办理时限。"),
        *_facts(c),
    ]
    return story


def _licence(c: dict[str, Any]) -> Story:
    basis = c.get("legal_basis") or []
    laws = "、".join(_markup(law) for law in basis) if isinstance(basis, list) else _markup(basis)
    according = f"根据{laws}的规定，" if laws else ""
    story = [_para(f"{_you(c)}，经审查，符合法定条件、标准。{according}本机关决定准予行政许可。")]
    licence = c.get("licence") or {}
    if licence:
        story.append(_heading("许可内容"))
        if licence.get("matter"):
            story.append(_fact("许可事项", licence["matter"]))
        if licence.get("valid_from") or licence.get("valid_until"):
            start = zh_date(licence["valid_from"]) if licence.get("valid_from") else ""
            until = zh_date(licence["valid_until"]) if licence.get("valid_until") else ""
            span = f"自{start}至{until}" if start and until else (f"自{start}起" if start else f"至{until}止")
            story.append(_fact("有效期限", span))
        story.append(_fact("附加条件", licence.get("conditions") or "无"))
    return [*story, *_comment(c), *_facts(c)]  # the legal basis is in the decision's sentence


def _filing(c: dict[str, Any]) -> Story:
    story = [_para(f"{_you(c)}，经审核，材料齐全，本机关予以备案。")]
    if c.get("filing_number"):
        story.append(_fact("备案编号", c["filing_number"]))
    return [*story, *_comment(c), *_facts(c), *_materials(c), *_legal_basis(c.get("legal_basis"))]


def _receipt(c: dict[str, Any]) -> Story:
    # A receipt only: it says the report arrived, never that anything was approved.
    what = "" if str(c.get("item", "")).endswith("报告") else "相关材料"
    return [
        _para(f"{_you(c, '报送', what)}，本机关已接收。"),
        _para("本回执仅证明本机关已收到上述报告及材料，不表明对报告内容的审查结论。"),
        *_comment(c, "备注"),
        *_facts(c),
        *_materials(c),
    ]


def _denial(c: dict[str, Any]) -> Story:
    denial = c.get("denial") or {}
    reason = denial.get("reason") or c.get("comment")
    story = [_para(f"{_you(c)}，经审查，本机关决定不予行政许可。")]
    if reason:
        story.append(_para(f"{_bold('不予许可的理由')}：{_markup(reason)}"))
    return [
        *story,
        *_facts(c),
        *_legal_basis(denial.get("legal_basis") or c.get("legal_basis")),
        *_remedies(denial.get("remedies") or c.get("appeal_rights")),
    ]


def _other(c: dict[str, Any]) -> Story:
    facts = _facts(c, _ALL_FACTS + _TIME_LIMITS)
    return [*_comment(c), *facts, *_materials(c), *_legal_basis(c.get("legal_basis"))]


# By the document's title (NoticeKind's label), which every notice's content carries.
TEMPLATES: dict[str, Callable[[dict[str, Any]], Story]] = {
    "受理通知书": _acceptance,
    "不予受理通知书": _rejection,
    "补正材料通知书": _supplement,
    "准予行政许可决定书": _licence,
    "备案证明": _filing,
    "报告接收回执": _receipt,
    "不予许可决定书": _denial,
}


async def rendered(content: dict[str, Any]) -> bytes:
    """:func:`render_pdf` in a worker thread: setting a CJK page takes a few hundred
    milliseconds, which must not hold up the other requests of the event loop."""
    return await to_thread.run_sync(render_pdf, content)


def render_pdf(content: dict[str, Any]) -> bytes:
    """The notice as an A4 PDF: title, number, addressee, the kind's body, agency and date."""
    _fonts()
    title = str(content.get("title") or "通知书")
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=26 * mm,
        rightMargin=26 * mm,
        topMargin=30 * mm,
        bottomMargin=25 * mm,
        title=title,
        author=str(content.get("agency") or ""),
        subject=str(content.get("number") or ""),
        creator="海事一网通办",
        initialFontName=REGULAR,  # not Helvetica, which a reader would have to supply
    )
    story: Story = [Paragraph(_markup(title, BOLD), _TITLE)]
    if content.get("number"):
        story.append(Paragraph(_markup(content["number"]), _NUMBER))
    if content.get("applicant"):
        story.append(_para(f"{_markup(content['applicant'])}：", _TO))
    story += TEMPLATES.get(title, _other)(content)
    signature: Story = [Spacer(1, 12 * mm)]
    if content.get("agency"):
        signature.append(_para(_markup(content["agency"]), _SIGN))
    if content.get("issued_on"):
        signature.append(_para(_markup(zh_date(content["issued_on"])), _SIGN))
    story.append(KeepTogether(signature))
    document.build(story)
    return out.getvalue()
