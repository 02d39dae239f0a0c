"""Written notices issued with decisions: their kind, number and content (the PDF: documents.py)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency
from app.applications import repository
from app.applications.documents import render_pdf
from app.applications.models import Application, Notice
from app.applications.state_machine import Action
from app.catalog.models import ServiceItem
from app.core.enums import LabelledEnum
from app.core.schemas import china_time

__all__ = ["APPEAL_RIGHTS", "NoticeKind", "issue", "notice_kind", "render_pdf"]

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


def issue(
    session: AsyncSession,
    application: Application,
    kind: NoticeKind,
    *,
    item: ServiceItem,
    agency: Agency,
    applicant_name: str,
    material_names: list[str],
    comment: str,
    supplement_items: list[dict[str, Any]],
    fuel_supplier: str | None = None,
) -> Notice:
    guide = item.guide
    issued = china_time(application.updated_at)
    number = f"{agency.short_name}海事{_NUMBER_MARK[kind]}〔{issued.year}〕{application.number}"
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
        # What to 补正, item by item: {target, key, label, reason} (older notices: missing_materials).
        content["supplement_items"] = supplement_items
    if kind in (NoticeKind.rejection, NoticeKind.denial):
        content["appeal_rights"] = APPEAL_RIGHTS
    notice = Notice(application_id=application.id, kind=kind.value, number=number, content=content)
    repository.add(session, notice)
    return notice
