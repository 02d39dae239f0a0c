"""What a decision carries, by the item's nature (`ServiceItem.nature`), beyond what its schema
can say: the rules that need today's date, the item or stored documents, and the remedies of a
不予许可 that follow from the agency tree.

- licensing (许可): 准予 carries ``licence`` (许可事项, 有效期限, 附加条件);
- filing (备案): 准予 carries ``filing_number`` (备案编号, unique among the documents issued);
- anything else is a report: 准予 is 已接收/办结 and carries nothing;
- 不予许可 carries ``denial``: the reason (the decision's ``comment``, its one source), 法律依据,
  and the remedies written by the server.

The result is the part of the notice content (``notices.content``) these keys make up; the
decision route and its preview both get it from :func:`checked_content`.
"""

from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency
from app.applications import repository
from app.applications.schemas import Decision, LicenceContent
from app.applications.state_machine import Action
from app.catalog.models import ServiceItem
from app.core.db import utcnow
from app.core.errors import AppError, InvalidInput
from app.core.schemas import china_time

LICENSING, FILING = "licensing", "filing"
# 有效期限, counted in Beijing calendar days. A licence may start a little in the past (the
# decision confirms work already agreed in writing, up to a month back) or up to a year ahead; it
# must not already be over; it lasts at most 30 years (the longest term a 海事 licence runs).
EARLIEST_START = timedelta(days=30)
LATEST_START = timedelta(days=365)
LONGEST_TERM_YEARS = 30
# Field error types (the fuzz check lists them as semantic: a JSON Schema cannot say them).
NATURE = "decision_nature"
DATE_WINDOW = "date_window"
RANGE = "invalid_range"

_NATURE_LABEL = {LICENSING: "许可类", FILING: "备案类"}


class FilingNumberTaken(AppError):
    status = 409
    code = "decision.filing_number_taken"
    title = "该备案编号已被使用，请核对后重新填写"


async def checked_content(
    session: AsyncSession, application_agency: str, item: ServiceItem, action: Action, decision: Decision
) -> dict[str, Any]:
    """The content keys of ``decision`` on an application of ``item``, checked; raises
    :class:`InvalidInput` (422, per field) or :class:`FilingNumberTaken` (409)."""
    misplaced = [
        (("body", key), f"{action.label}时不填写{label}", "unexpected")
        for key, label, belongs in (
            ("licence", "许可事项和有效期限", Action.approve),
            ("filing_number", "备案编号", Action.approve),
            ("denial", "法律依据", Action.decline),
        )
        if action is not belongs and getattr(decision, key) is not None
    ]
    if misplaced:  # the schema says so too; a client that ignores it is told here
        raise InvalidInput(misplaced)
    if action is Action.approve:
        return await _approval(session, item, decision)
    if action is Action.decline:
        if decision.denial is None:  # the schema says so too; a direct caller is held to it here
            raise InvalidInput([(("body", "denial"), "不予许可时请填写法律依据", "missing")])
        return {
            "denial": {
                "reason": decision.comment,
                "legal_basis": list(decision.denial.legal_basis),
                "remedies": await remedies(session, application_agency),
            }
        }
    return {}


async def _approval(session: AsyncSession, item: ServiceItem, decision: Decision) -> dict[str, Any]:
    nature = item.nature
    label = _NATURE_LABEL.get(nature, "报告类")
    errors = []
    if decision.licence is not None and nature != LICENSING:
        errors.append((("body", "licence"), f"{label}事项准予时不填写许可事项和有效期限", NATURE))
    if decision.filing_number is not None and nature != FILING:
        errors.append((("body", "filing_number"), f"{label}事项准予时不填写备案编号", NATURE))
    if nature == LICENSING and decision.licence is None:
        errors.append((("body", "licence"), "许可类事项准予时请填写许可事项和有效期限", NATURE))
    if nature == FILING and decision.filing_number is None:
        errors.append((("body", "filing_number"), "备案类事项准予时请填写备案编号", NATURE))
    if nature == LICENSING and decision.licence is not None:
        errors += _licence_errors(decision.licence)
    if errors:
        raise InvalidInput(errors)
    if nature == LICENSING:
        licence = decision.licence
        return {
            "licence": {
                "matter": licence.matter,
                "valid_from": licence.valid_from.isoformat(),
                "valid_until": licence.valid_until.isoformat(),
                "conditions": licence.conditions or None,
            }
        }
    if nature == FILING:
        if await repository.document_number_taken(session, decision.filing_number):
            raise FilingNumberTaken(f"备案编号“{decision.filing_number}”已被使用")
        return {"filing_number": decision.filing_number}
    return {}


def _licence_errors(licence: LicenceContent) -> list[tuple[tuple[str, ...], str, str]]:
    today = china_time(utcnow()).date()
    start, end = licence.valid_from, licence.valid_until
    at = ("body", "licence")
    errors = []
    if start < today - EARLIEST_START:
        errors.append(((*at, "valid_from"), "有效期起不能早于 30 天前", DATE_WINDOW))
    elif start > today + LATEST_START:
        errors.append(((*at, "valid_from"), "有效期起不能晚于一年之后", DATE_WINDOW))
    if end < start:
        errors.append(((*at, "valid_until"), "有效期止不能早于有效期起", RANGE))
    elif end < today:
        errors.append(((*at, "valid_until"), "有效期止不能早于今天", DATE_WINDOW))
    elif not errors and end > _years_after(start, LONGEST_TERM_YEARS):
        errors.append(((*at, "valid_until"), f"有效期不能超过 {LONGEST_TERM_YEARS} 年", DATE_WINDOW))
    return errors


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


async def remedies(session: AsyncSession, agency_code: str) -> str:
    """行政复议 (60 days, to the authority above the deciding agency; a root agency reviews its
    own decisions) or 行政诉讼 (6 months), as a 不予许可决定书 must tell them."""
    agency: Agency = await repository.agency(session, agency_code)
    above = await repository.agency(session, agency.parent_code) if agency.parent_code else None
    reviewer = (above or agency).name
    return (
        f"如不服本决定，可以自收到本决定书之日起六十日内向{reviewer}申请行政复议，"
        "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
    )
