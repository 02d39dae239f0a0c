"""The world the authorization matrix is tried in: every kind of caller, and objects of every
kind owned by one personal user (the seafarer) or, for ships, by the corporate user.

Callers, as the matrix names them:

- ``anonymous``: no token at all;
- ``personal``: the owner of the objects, a seafarer with the registry's certificates;
- ``other-personal``: another citizen, an applicant too, owning none of them (and the one
  account whose deletion is tried: the seafarer has applications in progress);
- ``corporate``: demo-corp, an applicant too and the owner of the ships;
- ``officer``: demo-officer;
- ``staff``: demo-staff-sh, of 上海海事局 (SH), which the applications and the COC belong to;
- ``root-staff``: demo-staff, of 部海事局 (CN), the root of the agency tree;
- ``outside-staff``: staff of 广东海事局 (GD), neither above nor below SH;
- ``sysadmin``, ``secadmin``, ``auditor``: the three administrators;
- ``client``: a machine client (系统对接) of 上海海事局 (SH) holding every scope;
- ``outside-client``: a machine client of 广东海事局 (GD) holding every scope.

The client of SH owns a webhook subscription and one delivery of it.

The security administrator's routes act on an officer account made for them, the 双人复核
routes on two requests about an audit administrator account made for them; the sign-in
steps after the password get tickets of officer accounts made for them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.service import create_operator_account
from app.core.auth import Role, Scope
from app.core.config import Settings
from app.core.db import new_id, utcnow
from app.demo import DEMO_PASSWORD
from app.outbox.service import publish
from app.webhooks.dispatcher import delivery_of
from app.webhooks.models import WebhookSubscription
from tests.support.applying import decide, filled_draft, submitted_application, upload_pdf
from tests.support.certificates import COC, new_seafarer
from tests.support.clients import registered_client
from tests.support.registry import MATRIX_PUSH, MATRIX_REGISTRY_ID
from tests.support.people import (
    IDENTITY_DOCUMENTS_CONSENT,
    bearer,
    citizen,
    enrolled_secret,
    face_proof,
    password_login,
    register_citizen,
)

OUTSIDE_AGENCY = OUTSIDE_AGENCY_CODE = "GD"
SIGNED_IN_BY_PASSWORD = {
    "corporate": "demo-corp",
    "officer": "demo-officer",
    "staff": "demo-staff-sh",
    "root-staff": "demo-staff",
    "outside-staff": "matrix-staff-gd",
    "sysadmin": "demo-sysadmin",
    "secadmin": "demo-secadmin",
    "auditor": "demo-auditor",
}
MACHINE_CLIENTS = {"client": "SH", "outside-client": OUTSIDE_AGENCY_CODE}
CALLERS = ("anonymous", "personal", "other-personal", *SIGNED_IN_BY_PASSWORD, *MACHINE_CLIENTS)


@dataclass
class World:
    api: object  # the client, under the contract's base path
    callers: dict[str, dict]  # caller → request headers
    ids: dict[str, str]  # what a path parameter points at → its id
    values: dict  # whatever else a request body needs: tokens, numbers, face proofs


async def _outside_staff(new_session: Callable[[], AsyncSession]) -> None:
    """Staff of an agency outside SH's branch of the tree, created as the operator command does."""
    async with new_session() as session:
        await create_operator_account(
            session,
            role=Role.staff,
            username=SIGNED_IN_BY_PASSWORD["outside-staff"],
            name="广东受理人员",
            password=DEMO_PASSWORD,
            agency_code=OUTSIDE_AGENCY,
        )
        await session.commit()


async def _operator_account(new_session, username: str, *, password_age_days: int = 0) -> str:
    """An officer account as an operator creates it (no authenticator yet), optionally with a
    password set ``password_age_days`` ago."""
    async with new_session() as session:
        user = await create_operator_account(
            session,
            role=Role.officer,
            username=username,
            name="矩阵执法人员",
            password=DEMO_PASSWORD,
            agency_code="SH",
        )
        user.password_changed_at = utcnow() - timedelta(days=password_age_days)
        await session.commit()
        return user.id


async def _sign_in_tickets(api, new_session) -> dict:
    """Tickets of the sign-in steps after the password: a second factor to enter, an
    authenticator to enrol (already offered) and an expired password to replace."""
    await _operator_account(new_session, "matrix-officer-2fa")
    await password_login(api, "matrix-officer-2fa")  # enrols it
    second_factor = await api.post(
        "/auth/login/password", json={"username": "matrix-officer-2fa", "password": DEMO_PASSWORD}
    )
    await _operator_account(new_session, "matrix-officer-new")
    enrolment = await api.post(
        "/auth/login/password", json={"username": "matrix-officer-new", "password": DEMO_PASSWORD}
    )
    offer = await api.post("/auth/second-factor/enrolment", json={"ticket": enrolment.json()["ticket"]})
    await _operator_account(new_session, "matrix-officer-old", password_age_days=91)
    expired = await api.post(
        "/auth/login/password", json={"username": "matrix-officer-old", "password": DEMO_PASSWORD}
    )
    assert expired.json()["code"] == "auth.password_expired", expired.text
    return {
        "second_factor": second_factor.json()["ticket"],
        "second_factor_secret": enrolled_secret("matrix-officer-2fa"),
        "enrolment": enrolment.json()["ticket"],
        "enrolment_secret": offer.json()["secret"],
        "expired_password": expired.json()["ticket"],
    }


async def _machine_clients(new_session, settings: Settings) -> dict[str, dict]:
    """The two machine clients, registered straight in the database, and their tokens."""
    headers = {}
    async with new_session() as session:
        for caller, agency_code in MACHINE_CLIENTS.items():
            _, headers[caller] = await registered_client(
                session, settings, scopes=list(Scope), agency_code=agency_code, name=f"矩阵{caller}"
            )
        await session.commit()
    return headers


MANAGED_CLIENT_SECRET = "matrix-client-secret-0123456789abcdefghijklmnopqrstuvwxyz"


async def _managed_client(new_session, settings: Settings) -> str:
    """A machine client the system administrator manages (and that takes tokens by its secret)."""
    async with new_session() as session:
        client, _ = await registered_client(
            session, settings, scopes=[Scope.events_subscribe], name="矩阵受管客户端", secret=MANAGED_CLIENT_SECRET
        )
        await session.commit()
    return client.user_id


async def _webhooks(api, new_session, client: dict) -> dict[str, str]:
    """The SH client's subscription and one delivery of it."""
    created = await api.post(
        "/webhooks/subscriptions",
        json={"url": "https://consumer.example/hooks", "event_types": ["*"]},
        headers=client,
    )
    assert created.status_code == 201, created.text
    subscription_id = created.json()["id"]
    async with new_session() as session:
        subscription = await session.get(WebhookSubscription, subscription_id)
        event = publish(session, "application.submitted", subject_id=new_id(), agency_code="SH", data={})
        await session.flush()
        delivery = delivery_of(event, subscription, utcnow())
        session.add(delivery)
        await session.commit()
    return {"webhook-subscription": subscription_id, "webhook-delivery": delivery.id}


async def _callers(api, new_session, settings, seafarer_headers: dict, other_tokens: dict) -> dict[str, dict]:
    signed_in = {
        caller: bearer(await password_login(api, username))
        for caller, username in SIGNED_IN_BY_PASSWORD.items()
    }
    return {
        "anonymous": {},
        "personal": seafarer_headers,
        "other-personal": bearer(other_tokens),
        **signed_in,
        **await _machine_clients(new_session, settings),
    }


async def _created(api, headers: dict, body: dict) -> dict:
    created = await api.post("/applications", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()


async def _correction(api, headers: dict, certificate_id: str, material_id: str) -> dict:
    response = await api.post(
        f"/me/certificates/{certificate_id}/corrections",
        json={
            "field": "navigation_area",
            "proposed_value": "沿海航区",
            "reason": "证书航区与考试航区不一致",
            "material_ids": [material_id],
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _first(api, path: str, headers: dict | None = None) -> dict:
    response = await api.get(path, headers=headers or {})
    assert response.status_code == 200, response.text
    body = response.json()
    return (body["items"] if isinstance(body, dict) else body)[0]


async def _administrator_requests(api, new_session, secadmin: dict) -> dict[str, str]:
    """Two pending 双人复核 requests on an administrator account made for them: one to approve,
    one to reject."""
    async with new_session() as session:
        admin = await create_operator_account(
            session,
            role=Role.auditor,
            username="matrix-auditor-managed",
            name="矩阵审计管理员",
            password=DEMO_PASSWORD,
            agency_code=None,
        )
        await session.commit()
        admin_id = admin.id
    ids = {}
    for name, action in (("admin-request", "unlock"), ("admin-request-to-reject", "enable")):
        asked = await api.post(
            "/admin/security/requests",
            json={"action": action, "account_id": admin_id, "reason": "矩阵测试"},
            headers=secadmin,
        )
        assert asked.status_code == 201, asked.text
        ids[name] = asked.json()["id"]
    return ids


async def _follow_up(api, owner: dict, staff: dict, draft: dict) -> str:
    """The 回访整改 task a 非常不满意 rating of a finished application opens for SH."""
    application = await submitted_application(api, owner, "TH-002", draft)
    application = await decide(api, staff, application, "accept", comment="材料齐全，予以受理")
    application = await decide(api, staff, application, "approve", comment="同意")
    rated = await api.post(
        f"/applications/{application['id']}/evaluation", json={"rating": 1, "comment": "等待太久"}, headers=owner
    )
    assert rated.status_code == 201, rated.text
    tasks = (await api.get("/staff/follow-ups", params={"limit": 100}, headers=staff)).json()["items"]
    return next(task["id"] for task in tasks if task["application_id"] == application["id"])


async def _called_back(api, staff: dict, follow_up_id: str) -> None:
    called = await api.post(
        f"/staff/follow-ups/{follow_up_id}/visit",
        json={"contacted_at": utcnow().isoformat(), "channel": "phone", "applicant_said": "等待太久", "finding": "属实"},
        headers=staff,
    )
    assert called.status_code == 200, called.text


MATRIX_REGULATION = {"id": "MATRIX-1", "title": "矩阵测试条目", "description": "仅供权限测试", "source": "测试"}
DATASET_DRAFT = "/admin/dataset/draft"


async def _dataset(api, sysadmin: dict[str, str]) -> dict[str, str]:
    """A dataset version scheduled far ahead (to cancel), and the file and record the draft routes edit."""
    added = await api.put(
        f"{DATASET_DRAFT}/files/regulation_items/records/MATRIX-0", json={**MATRIX_REGULATION, "id": "MATRIX-0"},
        headers=sysadmin,
    )
    assert added.status_code == 200, added.text
    scheduled = await api.post(
        f"{DATASET_DRAFT}/publish", json={"note": "权限测试", "effective_at": "2099-01-01T08:00:00+08:00"},
        headers=sysadmin,
    )
    assert scheduled.status_code == 201, scheduled.text
    return {
        "dataset-file": "regulation_items",
        "dataset-record": MATRIX_REGULATION["id"],
        "dataset-version": "1",
        "scheduled-version": str(scheduled.json()["number"]),
    }


async def build_world(api, new_session: Callable[[], AsyncSession], settings: Settings) -> World:
    seafarer = await new_seafarer(api)
    owner = seafarer.headers
    other, other_tokens = await register_citizen(api)
    consent = await api.post("/me/consents", json=IDENTITY_DOCUMENTS_CONSENT, headers=owner)
    assert consent.status_code == 201, consent.text
    await _outside_staff(new_session)
    callers = await _callers(api, new_session, settings, owner, other_tokens)
    tickets = await _sign_in_tickets(api, new_session)

    # One set of materials serves the seafarer's three applications of the same item.
    complete = await filled_draft(api, owner, "TH-002")  # 取消 after submitting
    draft = await _created(api, owner, complete)
    submitted = await submitted_application(api, owner, "TH-002", complete)
    finished = await submitted_application(api, owner, "TH-002", complete)
    withdrawable = await submitted_application(api, owner, "WF-001")  # 撤回 after submitting
    accepted = await decide(api, callers["staff"], finished, "accept", comment="材料齐全，予以受理")
    finished = await decide(api, callers["staff"], accepted, "approve", comment="同意")
    follow_up, visited_follow_up = [await _follow_up(api, owner, callers["staff"], complete) for _ in range(2)]
    await _called_back(api, callers["staff"], visited_follow_up)

    coc = await seafarer.certificate(api, COC)
    pushed = await api.put(f"/registry/certificates/{MATRIX_REGISTRY_ID}", json=MATRIX_PUSH, headers=callers["client"])
    assert pushed.status_code == 201, pushed.text
    evidence = await upload_pdf(api, owner, "航区证明")
    correction = await _correction(api, owner, coc["id"], evidence)
    newcomer = citizen()
    return World(
        api=api,
        callers=callers,
        ids={
            "draft": draft["id"],
            "submitted": submitted["id"],
            "withdrawable": withdrawable["id"],
            "finished": finished["id"],
            "follow-up": follow_up,
            "visited-follow-up": visited_follow_up,
            "notice": finished["notices"][0]["id"],
            "attached-material": submitted["materials"][0]["material"]["id"],
            "material": await upload_pdf(api, owner, "船舶证书"),
            "spare-material": await upload_pdf(api, owner, "待删除的材料"),
            "certificate": coc["id"],
            "pushed-certificate": MATRIX_REGISTRY_ID,
            "result-document": (
                await _first(api, "/me/certificates?type=RESULT_DOCUMENT", owner)
            )["id"],
            "correction": correction["id"],
            "evidence": evidence,
            "message": (await _first(api, "/me/messages", owner))["id"],
            "ship": (await _first(api, "/me/ships", callers["corporate"]))["id"],
            "agency": "SH",
            # Two of the low-confidence units the seed offers the system administrator.
            "agency-candidate": "CJ-CQ-YC",
            "dismissable-candidate": "CJ-CQ-JJ",
            "item": "TH-002",
            "article": (await _first(api, "/help/articles"))["id"],
            "stylesheet": "swagger-ui/swagger-ui.css",
            "workbench-page": "applications",
            "consent-purpose": "identity_documents",
            "operator-account": await _operator_account(new_session, "matrix-officer-managed"),
            "machine-client": await _managed_client(new_session, settings),
            **await _administrator_requests(api, new_session, callers["secadmin"]),
            **await _webhooks(api, new_session, callers["client"]),
            **await _dataset(api, callers["sysadmin"]),
        },
        values={
            "seafarer": seafarer,
            "application_no": submitted["number"],
            "certificate_no": coc["number"],
            "holder_name": seafarer.person["name"],
            "refresh_token": other_tokens["refresh_token"],
            "tickets": tickets,
            "newcomer": newcomer,
            "face": {
                purpose: await face_proof(api, seafarer.person, purpose)
                for purpose in ("login", "reset_password", "change_password", "change_phone")
            }
            | {"register": await face_proof(api, newcomer, "register")}
            | {"account_deletion": await face_proof(api, other, "account_deletion")},
        },
    )
