"""A seafarer with the registry's demo certificates, the demo officer, and 亮证 as helpers."""

from dataclasses import dataclass
from datetime import datetime

from app.applications.models import Application
from app.certificates import service
from app.certificates.models import Certificate
from tests.support.people import bearer, password_login, register_citizen

COC = "SEAFARER_COC_SEA"
PASSPORT = "SEAFARER_PASSPORT"


@dataclass
class Seafarer:
    person: dict
    user_id: str
    headers: dict

    async def certificate(self, api, type_code: str) -> dict:
        """The seafarer's certificate of that type, in full (GET /me/certificates/{id})."""
        wallet = await api.get("/me/certificates", params={"type": type_code}, headers=self.headers)
        assert wallet.status_code == 200, wallet.text
        (card,) = wallet.json()["items"]
        detail = await api.get(f"/me/certificates/{card['id']}", headers=self.headers)
        assert detail.status_code == 200, detail.text
        return detail.json()

    async def show(self, api, certificate_id: str) -> dict:
        """亮证: the display token and its QR code."""
        response = await api.post(f"/me/certificates/{certificate_id}/display-token", headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()


async def new_seafarer(api) -> Seafarer:
    person, tokens = await register_citizen(api)
    return Seafarer(person, tokens["user"]["id"], bearer(tokens))


async def signed_in(api, username: str) -> dict:
    return bearer(await password_login(api, username))


async def scan(api, officer: dict, token: str):
    return await api.post("/officer/scans", json={"token": token}, headers=officer)


async def issue_document(session, holder_id: str, number: str, issued_at: datetime) -> Certificate:
    """What the approve step of an application does: a result document into the wallet
    (for an approved application made up here, so the wallet can be tested on its own)."""
    application = Application(
        item_code="TH-001",
        applicant_id=holder_id,
        agency_code="SH-PD",
        status="approved",
        form={},
        number=number,
    )
    session.add(application)
    await session.flush()
    return await service.issue_result_document(
        session,
        holder_id=holder_id,
        item_code="TH-001",
        item_name="沿海水域划定禁航区和安全作业区审批",
        agency_code="SH-PD",
        application_id=application.id,
        number=number,
        issued_at=issued_at,
        title="准予划定的许可决定书",
    )
