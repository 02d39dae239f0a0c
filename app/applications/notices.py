"""Written notices issued with decisions, as JSON and as PDF (Chinese text, CID font)."""

import io
from datetime import datetime
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency
from app.applications import repository
from app.applications.models import Application, Notice
from app.applications.state_machine import Action
from app.catalog.models import ServiceItem
from app.core.enums import LabelledEnum
from app.core.schemas import china_time

# An Adobe CJK font every PDF reader has: nothing to embed, text stays extractable.
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

APPEAL_RIGHTS = (
    "如不服本决定，可以自收到本文书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
)


class NoticeKind(LabelledEnum):
    acceptance = "acceptance", "受理通知书"
    rejection = "rejection", "不予受理通知书"
    supplement = "supplement", "补正材料通知书"
    decision = "decision", "准予行政许可决定书"
    filing_certificate = "filing_certificate", "备案证明"
    report_receipt = "report_receipt", "报告接收回执"
    denial = "denial", "不予许可决定书"


# Which notice a decision issues; approval depends on the item's nature.
_BY_ACTION = {
    Action.accept: NoticeKind.acceptance,
    Action.reject: NoticeKind.rejection,
    Action.request_supplement: NoticeKind.supplement,
    Action.decline: NoticeKind.denial,
}
_APPROVAL_BY_NATURE = {"licensing": NoticeKind.decision, "filing": NoticeKind.filing_certificate}
# The character of the notice number: 受 (acceptance) 补 (supplement) 决 (decision) …
_NUMBER_MARK = {
    NoticeKind.acceptance: "受",
    NoticeKind.rejection: "不受",
    NoticeKind.supplement: "补",
    NoticeKind.decision: "许",
    NoticeKind.filing_certificate: "备",
    NoticeKind.report_receipt: "收",
    NoticeKind.denial: "不许",
}


def notice_kind(action: Action, item_nature: str) -> NoticeKind | None:
    if action is Action.approve:
        return _APPROVAL_BY_NATURE.get(item_nature, NoticeKind.report_receipt)
    return _BY_ACTION.get(action)


def issue(session: AsyncSession, application: Application, kind: NoticeKind, content: dict[str, Any]) -> Notice:
    """Records the notice whose ``content`` :func:`content_of` wrote."""
    notice = Notice(application_id=application.id, kind=kind.value, number=content["number"], content=content)
    repository.add(session, notice)
    return notice


def content_of(
    application: Application,
    kind: NoticeKind,
    *,
    issued_at: datetime,
    item: ServiceItem,
    agency: Agency,
    applicant_name: str,
    material_names: list[str],
    comment: str,
    missing_materials: list[str],
    fuel_supplier: str | None = None,
    decided: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What a notice says (what its PDF renders): the same for the notice issued and for the
    preview of a decision. ``decided`` is the decision's checked content (decision_content)."""
    guide = item.guide
    issued = china_time(issued_at)
    # A 备案证明 is numbered by its 备案编号; any other notice by its kind, year and application.
    number = (decided or {}).get("filing_number") or (
        f"{agency.short_name}海事{_NUMBER_MARK[kind]}〔{issued.year}〕{application.number}"
    )
    content: dict[str, Any] = {
        "title": kind.label,
        "number": number,
        "application_no": application.number,
        "applicant": applicant_name,
        "contact_name": application.contact_name,
        "item": item.name,
        "agency": agency.name,
        "submitted_on": china_time(application.submitted_at).date().isoformat(),
        "issued_on": issued.date().isoformat(),
        "materials_received": material_names,
        "legal_basis": guide["legal_basis"],
        "statutory_time_limit": guide["statutory_time_limit"],
        "promised_time_limit": guide["promised_time_limit"],
        "comment": comment or None,
    }
    if fuel_supplier:
        content["fuel_supplier"] = fuel_supplier
    if kind is NoticeKind.supplement:
        content["missing_materials"] = missing_materials
    if kind is NoticeKind.rejection:
        content["appeal_rights"] = APPEAL_RIGHTS
    # licence (决定书), filing_number (备案证明), denial (不予许可决定书, with its own remedies).
    content.update(decided or {})
    return content


_LINES = (
    ("application_no", "申请编号"),
    ("applicant", "申请人"),
    ("contact_name", "联系人"),
    ("item", "申请事项"),
    ("fuel_supplier", "燃油供应商"),
    ("submitted_on", "申请日期"),
    ("agency", "受理机构"),
    ("statutory_time_limit", "法定办结时限"),
    ("promised_time_limit", "承诺办结时限"),
    ("comment", "意见/理由"),
)


def render_pdf(content: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, title=content["title"]
    )
    title = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1)
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18)
    right = ParagraphStyle("right", parent=body, alignment=2)
    story = [Paragraph(content["title"], title), Paragraph(content["number"], right), Spacer(1, 6 * mm)]
    story += [
        Paragraph(f"{label}：{_escape(content[key])}", body) for key, label in _LINES if content.get(key)
    ]
    for key, label in (
        ("materials_received", "收到的申请材料"),
        ("missing_materials", "需补正的材料（一次性告知）"),
    ):
        if content.get(key):
            story.append(Paragraph(f"{label}：", body))
            story += [Paragraph(f"{n}. {_escape(name)}", body) for n, name in enumerate(content[key], 1)]
    story += [Paragraph(_escape(line), body) for line in _decided_lines(content)]
    denial = content.get("denial")
    basis = denial["legal_basis"] if denial else content["legal_basis"]
    story.append(Paragraph("法律依据：" + _escape("；".join(basis)), body))
    for remedies in (content.get("appeal_rights"), denial and denial["remedies"]):
        if remedies:
            story.append(Paragraph(_escape(remedies), body))
    story += [
        Spacer(1, 10 * mm),
        Paragraph(_escape(content["agency"]), right),
        Paragraph(content["issued_on"], right),
    ]
    document.build(story)
    return out.getvalue()


def _decided_lines(content: dict[str, Any]) -> list[str]:
    """The decision's own content (licence, filing number, reason for a denial) as lines."""
    lines = []
    if licence := content.get("licence"):
        lines += [f"许可事项：{licence['matter']}", f"有效期限：{licence['valid_from']} 至 {licence['valid_until']}"]
        if licence.get("conditions"):
            lines.append(f"附加条件：{licence['conditions']}")
    if content.get("filing_number"):
        lines.append(f"备案编号：{content['filing_number']}")
    return lines


def _escape(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
