"""Written notices issued with decisions: their kind, number and content (the PDF: documents.py)."""

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency
from app.applications import repository
from app.applications.documents import render_pdf, rendered
from app.applications.models import Application, Notice
from app.applications.state_machine import Action
from app.catalog.models import ServiceItem
from app.core.enums import LabelledEnum
from app.core.schemas import china_time

__all__ = ["APPEAL_RIGHTS", "NoticeKind", "issue", "notice_kind", "render_pdf", "rendered"]

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
    if kind is NoticeKind.rejection:
        content["appeal_rights"] = APPEAL_RIGHTS
    # The decision's own content: supplement_items (补正, item by item: {target, key, label,
    # reason}; older notices have missing_materials), licence (决定书), filing_number (备案证明),
    # denial (不予许可决定书, with its own remedies).
    content.update(decided or {})
    return content
