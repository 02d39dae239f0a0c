"""准予 and 不予许可 carry what the item's nature asks: a licence (许可事项, 有效期限, 附加条件) for a
许可, a 备案编号 for a 备案, nothing for a report; a 不予许可 its reason, 法律依据 and the remedies.
Staff preview the document first; the preview decides nothing and writes nothing."""

import asyncio
from datetime import date, timedelta

from sqlalchemy import func, select

from app.applications.documents import zh_date
from app.applications.models import ApplicationEvent, Notice
from app.audit.models import AuditEvent
from app.certificates.models import Certificate
from app.core.db import utcnow
from app.core.schemas import china_time
from tests.support.applying import decide, field_errors, filled_draft, login, submitted_application
from tests.support.documents import pdf_text

TODAY = china_time(utcnow()).date()
LICENCE = {
    "matter": "准予在吴淞口锚地以北水域划定安全作业区，用于码头前沿疏浚作业",
    "valid_from": TODAY.isoformat(),
    "valid_until": (TODAY + timedelta(days=180)).isoformat(),
    "conditions": "作业期间须派警戒船现场维护通航秩序",
}
BASIS = ["《中华人民共和国海上交通安全法》（2021年修订）", "《中华人民共和国海事行政许可条件规定》"]


async def _accepted(api, corp, staff, item_code: str) -> dict:
    return await decide(api, staff, await submitted_application(api, corp, item_code), "accept")


async def _post(api, staff, application, body: dict, *, preview: bool = False):
    path = f"/staff/applications/{application['id']}/decisions" + ("/preview" if preview else "")
    return await api.post(path, json=body, headers=staff)


async def _notice(api, who, application: dict) -> dict:
    mine = (await api.get(f"/applications/{application['id']}", headers=who)).json()
    notice = mine["notices"][-1]
    return (await api.get(f"/applications/{application['id']}/notices/{notice['id']}", headers=who)).json()


async def test_a_licence_carries_its_matter_validity_and_conditions_to_the_decision_and_my_wallet(api, corp, staff):
    accepted = await _accepted(api, corp, staff, "TH-001")

    approved = await decide(api, staff, accepted, "approve", comment="同意", licence=LICENCE)

    notice = await _notice(api, corp, accepted)
    assert notice["kind"]["label"] == "准予行政许可决定书"
    assert notice["content"]["licence"] == LICENCE
    pdf = await api.get(
        f"/applications/{accepted['id']}/notices/{notice['id']}", headers=corp | {"Accept": "application/pdf"}
    )
    text = pdf_text(pdf.content)
    assert LICENCE["matter"] in text and LICENCE["conditions"] in text
    assert f"自{zh_date(LICENCE['valid_from'])}至{zh_date(LICENCE['valid_until'])}" in text
    # 我的证照: valid until the licence's last day, its fields say what it permits.
    wallet = (await api.get("/me/certificates", params={"limit": 100}, headers=corp)).json()["items"]
    card = next(c for c in wallet if c["number"] == approved["notices"][-1]["number"])
    assert card["expires_on"] == LICENCE["valid_until"]
    assert card["status"]["code"] == "valid"
    detail = (await api.get(f"/me/certificates/{card['id']}", headers=corp)).json()
    fields = {f["label"]: f["value"] for f in detail["fields"]}
    assert fields["许可事项"] == LICENCE["matter"]
    assert fields["附加条件"] == LICENCE["conditions"]
    assert fields["有效期限"] == f"{LICENCE['valid_from']} 至 {LICENCE['valid_until']}"


async def test_a_licence_without_conditions_and_a_licence_missing_are_told_apart(api, corp, staff):
    accepted = await _accepted(api, corp, staff, "TH-002")

    missing = await _post(api, staff, accepted, {"action": "approve"})
    assert field_errors(missing) == {("body", "licence"): "许可类事项准予时请填写许可事项和有效期限"}

    plain = {key: value for key, value in LICENCE.items() if key != "conditions"}
    await decide(api, staff, accepted, "approve", licence=plain)
    assert (await _notice(api, corp, accepted))["content"]["licence"]["conditions"] is None


async def test_a_licence_validity_must_be_sane(api, corp, staff):
    accepted = await _accepted(api, corp, staff, "TH-001")

    def licence(start: date, end: date) -> dict:
        return {"action": "approve", "licence": LICENCE | {"valid_from": start.isoformat(), "valid_until": end.isoformat()}}

    cases = [
        (licence(TODAY, TODAY - timedelta(days=1)), "valid_until", "有效期止不能早于有效期起"),
        (licence(TODAY - timedelta(days=31), TODAY + timedelta(days=9)), "valid_from", "有效期起不能早于 30 天前"),
        (licence(TODAY + timedelta(days=366), TODAY + timedelta(days=700)), "valid_from", "有效期起不能晚于一年之后"),
        (licence(TODAY - timedelta(days=20), TODAY - timedelta(days=1)), "valid_until", "有效期止不能早于今天"),
        (licence(TODAY, TODAY.replace(year=TODAY.year + 31)), "valid_until", "有效期不能超过 30 年"),
    ]
    for body, field, message in cases:
        refused = await _post(api, staff, accepted, body)
        assert field_errors(refused) == {("body", "licence", field): message}, body
    # The edges are allowed: 30 days back, to exactly 30 years on.
    start = TODAY - timedelta(days=30)
    edges = licence(start, start.replace(year=start.year + 30))
    assert (await _post(api, staff, accepted, edges)).status_code == 200


async def test_a_filing_is_numbered_by_its_filing_number_and_a_duplicate_is_refused(api, corp, staff):
    first = await _accepted(api, corp, staff, "WF-001")
    second = await _accepted(api, corp, staff, "WF-001")
    number = f"沪海污备〔{TODAY.year}〕0017"

    approved = await decide(api, staff, first, "approve", filing_number=number)

    notice = await _notice(api, corp, first)
    assert notice["kind"]["label"] == "备案证明" and notice["number"] == number
    assert notice["content"]["filing_number"] == number
    assert "licence" not in notice["content"]
    wallet = (await api.get("/me/certificates", params={"limit": 100}, headers=corp)).json()["items"]
    card = next(c for c in wallet if c["number"] == number)
    assert card["expires_on"] is None and approved["status"]["code"] == "approved"
    pdf = await api.get(f"/me/certificates/{card['id']}/document", headers=corp)
    assert f"备案编号：{number}" in pdf_text(pdf.content)

    again = await _post(api, staff, second, {"action": "approve", "filing_number": number})
    assert again.status_code == 409
    assert again.json()["code"] == "decision.filing_number_taken"
    assert (await api.get(f"/staff/applications/{second['id']}", headers=staff)).json()["status"]["code"] == "accepted"


async def test_a_filing_number_has_a_shape(api, corp, staff):
    accepted = await _accepted(api, corp, staff, "WF-001")

    for wrong in ("ab-123", "12", "沪海 污备0017", "-沪海污备0017"):
        refused = await _post(api, staff, accepted, {"action": "approve", "filing_number": wrong})
        assert ("body", "filing_number") in field_errors(refused), wrong


async def test_content_of_another_nature_is_refused_clearly(api, corp, staff):
    filing = await _accepted(api, corp, staff, "WF-001")
    licensing = await _accepted(api, corp, staff, "TH-001")
    report = await _accepted(api, corp, staff, "WF-002")

    licence_on_filing = await _post(
        api, staff, filing, {"action": "approve", "licence": LICENCE, "filing_number": "沪海污备〔2026〕0099"}
    )
    assert field_errors(licence_on_filing) == {("body", "licence"): "备案类事项准予时不填写许可事项和有效期限"}
    number_on_licence = await _post(
        api, staff, licensing, {"action": "approve", "licence": LICENCE, "filing_number": "沪海污备〔2026〕0098"}
    )
    assert field_errors(number_on_licence) == {("body", "filing_number"): "许可类事项准予时不填写备案编号"}
    on_report = await _post(api, staff, report, {"action": "approve", "licence": LICENCE})
    assert field_errors(on_report) == {("body", "licence"): "报告类事项准予时不填写许可事项和有效期限"}
    # Content on a decision it does not belong to is refused by the schema itself.
    submitted = await submitted_application(api, corp, "TH-001")
    on_accept = await _post(api, staff, submitted, {"action": "accept", "licence": LICENCE})
    assert field_errors(on_accept) == {("body", "licence"): "受理时不填写许可事项和有效期限"}
    basis_on_approve = await _post(
        api, staff, licensing, {"action": "approve", "licence": LICENCE, "denial": {"legal_basis": BASIS}}
    )
    assert field_errors(basis_on_approve) == {("body", "denial"): "办结时不填写法律依据"}


async def test_a_report_is_received_with_no_content(api, corp, staff):
    accepted = await _accepted(api, corp, staff, "WF-002")

    await decide(api, staff, accepted, "approve")

    notice = await _notice(api, corp, accepted)
    assert notice["kind"]["label"] == "报告接收回执"
    assert not {"licence", "filing_number", "denial"} & set(notice["content"])


async def test_a_denial_states_reason_legal_basis_and_remedies_to_the_authority_above(api, corp, staff):
    accepted = await _accepted(api, corp, staff, "TH-001")  # accepted by 上海海事局, under 中国海事局
    assert accepted["agency"]["code"] == "SH"

    no_basis = await _post(api, staff, accepted, {"action": "decline", "comment": "不符合通航安全要求"})
    assert ("body", "denial") in field_errors(no_basis)
    declined = await decide(
        api, staff, accepted, "decline", comment="作业水域与主航道安全距离不足", denial={"legal_basis": BASIS}
    )

    assert declined["status"]["label"] == "不予许可"
    notice = await _notice(api, corp, accepted)
    denial = notice["content"]["denial"]
    assert denial["reason"] == "作业水域与主航道安全距离不足"
    assert denial["legal_basis"] == BASIS
    assert "六十日内向中华人民共和国海事局（交通运输部海事局）申请行政复议" in denial["remedies"]
    assert "六个月内依法向人民法院提起行政诉讼" in denial["remedies"]
    pdf = await api.get(
        f"/applications/{accepted['id']}/notices/{notice['id']}", headers=corp | {"Accept": "application/pdf"}
    )
    text = pdf_text(pdf.content)
    assert "作业水域与主航道安全距离不足" in text and BASIS[1] in text and "行政复议" in text


async def test_a_branch_bureau_denial_names_its_parent_bureau(api, corp, staff):
    draft = await filled_draft(api, corp, "TH-002") | {"agency_code": "SH-WS"}
    accepted = await decide(api, staff, await submitted_application(api, corp, "TH-002", draft), "accept")
    assert accepted["agency"]["code"] == "SH-WS"

    await decide(api, staff, accepted, "decline", comment="报告内容与实际不符", denial={"legal_basis": BASIS[:1]})

    remedies = (await _notice(api, corp, accepted))["content"]["denial"]["remedies"]
    assert "向上海海事局申请行政复议" in remedies


async def test_legal_basis_is_one_to_ten_entries_of_at_most_200_characters(api, corp, staff):
    accepted = await _accepted(api, corp, staff, "TH-001")

    for basis in ([], ["依据"] * 11, ["法" * 201], ["  "]):
        body = {"action": "decline", "comment": "不符合条件", "denial": {"legal_basis": basis}}
        assert (await _post(api, staff, accepted, body)).status_code == 422, basis


async def test_the_preview_is_the_pdf_the_decision_would_issue_and_writes_nothing(api, corp, staff, session):
    accepted = await _accepted(api, corp, staff, "TH-001")

    async def written() -> tuple[int, ...]:
        counts = []
        for model in (Notice, ApplicationEvent, Certificate):
            counts.append(await session.scalar(select(func.count()).select_from(model)))
        counts.append(
            await session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.event != "application.decision_preview")
            )
        )
        return tuple(counts)

    before = await written()
    body = {"action": "approve", "comment": "同意", "licence": LICENCE}
    preview = await _post(api, staff, accepted, body, preview=True)

    assert preview.status_code == 200, preview.text
    assert preview.headers["content-type"] == "application/pdf"
    assert preview.headers["cache-control"] == "no-store"
    text = pdf_text(preview.content)
    assert "准予行政许可决定书" in text and LICENCE["matter"] in text and accepted["number"] in text
    assert await written() == before
    after = (await api.get(f"/staff/applications/{accepted['id']}", headers=staff)).json()
    assert after["status"]["code"] == "accepted" and after["version"] == accepted["version"]
    # Only the view of the document (it names the applicant) is recorded, without its content.
    (seen,) = (
        await session.scalars(select(AuditEvent).where(AuditEvent.event == "application.decision_preview"))
    ).all()
    assert seen.object_id == accepted["id"] and seen.detail == {"action": "approve"}

    # The document issued then says what the preview said.
    assert (await _post(api, staff, accepted, body)).status_code == 200
    notice = await _notice(api, corp, accepted)
    issued = await api.get(
        f"/applications/{accepted['id']}/notices/{notice['id']}", headers=corp | {"Accept": "application/pdf"}
    )
    assert pdf_text(issued.content) == text


async def test_the_preview_checks_like_the_decision(api, corp, staff):
    submitted = await submitted_application(api, corp, "TH-001")

    not_now = await _post(api, staff, submitted, {"action": "approve", "licence": LICENCE}, preview=True)
    assert not_now.status_code == 409
    accepted = await decide(api, staff, submitted, "accept")
    no_licence = await _post(api, staff, accepted, {"action": "approve"}, preview=True)
    assert field_errors(no_licence) == {("body", "licence"): "许可类事项准予时请填写许可事项和有效期限"}
    stale = await api.post(
        f"/staff/applications/{accepted['id']}/decisions/preview",
        json={"action": "approve", "licence": LICENCE},
        headers=staff | {"If-Match": f'"{accepted["version"] - 1}"'},
    )
    assert stale.status_code == 412
    denial = await _post(
        api, staff, accepted, {"action": "decline", "comment": "不符合条件", "denial": {"legal_basis": BASIS}}, preview=True
    )
    assert "不予许可决定书" in pdf_text(denial.content) and "行政诉讼" in pdf_text(denial.content)


async def test_the_audit_of_a_decision_names_its_content_not_what_it_says(api, corp, staff, session):
    accepted = await _accepted(api, corp, staff, "TH-001")

    await decide(api, staff, accepted, "approve", licence=LICENCE)

    (recorded,) = (
        await session.scalars(
            select(AuditEvent).where(
                AuditEvent.event == "application.decision", AuditEvent.object_id == accepted["id"],
                AuditEvent.detail["action"].as_string() == "approve",
            )
        )
    ).all()
    assert recorded.detail == {
        "action": "approve", "from_status": "accepted", "to_status": "approved", "content": ["licence"]
    }


async def test_two_staff_racing_for_one_filing_number_one_gets_it_the_other_a_clear_refusal(two_workers):
    _, (first, second) = two_workers
    corp = await login(first, "demo-corp")
    staff_first, staff_second = await login(first, "demo-staff-sh"), await login(second, "demo-staff-sh")
    accepted = [
        await decide(first, staff_first, await submitted_application(first, corp, "WF-001"), "accept")
        for _ in range(2)
    ]
    body = {"action": "approve", "filing_number": f"沪海污备〔{TODAY.year}〕7001"}

    results = await asyncio.gather(
        _post(first, staff_first, accepted[0], body), _post(second, staff_second, accepted[1], body)
    )

    assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
    refused = next(r for r in results if r.status_code == 409)
    assert refused.json()["code"] == "decision.filing_number_taken"
    statuses = [(await first.get(f"/staff/applications/{a['id']}", headers=staff_first)).json() for a in accepted]
    assert sorted(s["status"]["code"] for s in statuses) == ["accepted", "approved"]
