"""证照详情 of a result document: the 决定书 or 备案证明 of an approved application opens as PDF."""

import io

from pypdf import PdfReader

from tests.support.applying import decide, login, submitted_application
from tests.support.certificates import COC, new_seafarer


async def _approved_document(api, corp: dict, item_code: str) -> dict:
    staff = await login(api, "demo-staff-sh")
    accepted = await decide(api, staff, await submitted_application(api, corp, item_code), "accept")
    approved = await decide(api, staff, accepted, "approve", comment="同意")
    wallet = await api.get("/me/certificates", params={"type": "RESULT_DOCUMENT", "limit": 100}, headers=corp)
    return next(c for c in wallet.json()["items"] if c["number"] == approved["notices"][-1]["number"])


async def test_a_company_opens_the_decision_of_its_approved_application_as_pdf(api, corp):
    decision = await _approved_document(api, corp, "TH-001")

    response = await api.get(f"/me/certificates/{decision['id']}/document", headers=corp)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "准予行政许可决定书" in text and decision["number"] in text


async def test_a_filing_certificate_opens_too(api, corp):
    filing = await _approved_document(api, corp, "WF-001")

    response = await api.get(f"/me/certificates/{filing['id']}/document", headers=corp)

    assert response.status_code == 200
    assert "备案证明" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


async def test_a_crew_certificate_has_no_document(api):
    seafarer = await new_seafarer(api)
    coc = await seafarer.certificate(api, COC)

    response = await api.get(f"/me/certificates/{coc['id']}/document", headers=seafarer.headers)

    assert response.status_code == 404
    assert response.json()["code"] == "certificate.no_document"


async def test_another_users_result_document_does_not_exist(api, corp):
    decision = await _approved_document(api, corp, "TH-001")
    stranger = await new_seafarer(api)

    response = await api.get(f"/me/certificates/{decision['id']}/document", headers=stranger.headers)

    assert response.status_code == 404
    assert response.json()["code"] == "certificate.not_found"
