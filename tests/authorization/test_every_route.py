"""Who may call what: every route of the app against every kind of caller, with the exact outcome.

Each row names the route, what each caller gets, which object of the world its path points at,
and the smallest valid request. The same request is sent with each caller's token:

- ``OK`` (any 2xx): the route is for this caller, and the object is theirs;
- 401: no token, or (face routes) a face that is not the caller's own;
- 403: the caller's role is not one the route is for;
- 404: the role fits but the object is someone else's. Staff see applications and
  corrections of their own agency and the agencies below it only; anything else does not
  exist for them, just as another applicant's application does not.

Callers and objects are described in tests/authorization/world.py.
"""

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from fastapi.routing import iter_route_contexts

from app.core.db import utcnow
from app.main import create_app
from tests.authorization.world import CALLERS, MACHINE_CLIENTS, MANAGED_CLIENT_SECRET, MATRIX_REGULATION, World
from tests.support import files
from tests.support.database import settings_for_tests
from tests.support.people import (
    FACE_CONSENT,
    IDENTITY_DOCUMENTS_CONSENT,
    STRONG_PASSWORD,
    corporate_registration,
    totp_code,
)
from tests.support.registry import MATRIX_PUSH

OK = "2xx"


def _who(everyone, *, anonymous=401, **callers) -> dict[str, object]:
    """Outcome per caller: ``everyone`` signed in, unless named (``other_personal=404``).
    Machine clients are no signed-in people: a person's route refuses them unless named."""
    outcomes = {caller: everyone for caller in CALLERS} | {"anonymous": anonymous}
    outcomes |= dict.fromkeys(MACHINE_CLIENTS, 403)
    return outcomes | {name.replace("_", "-"): outcome for name, outcome in callers.items()}


def _roles(*callers: str, **exceptions) -> dict[str, object]:
    return _who(403, **(dict.fromkeys(callers, OK) | exceptions))


# A machine client's route (OAuth 2.0 scopes): both clients hold every scope; people are refused.
CLIENT = _roles("client", "outside-client")
# … and only what belongs to the client's own agency subtree exists for it.
CLIENT_OF_THE_AGENCY = _roles("client", "outside-client", outside_client=404)


# A public route reads no token (the contract gives it no `security`, checked below), so it is
# tried without one and with the tokens of two callers only: passwords are hashed on several
# of them, and trying those eleven times over would be most of the run.
PUBLIC = {"anonymous": OK, "personal": OK, "sysadmin": OK}
SIGNED_IN = _who(OK)
# Any signed-in caller may ask, but only the owner's object exists for them.
OWN = _who(404, personal=OK)
APPLICANT = _roles("personal", "other_personal", "corporate")
OWN_AS_APPLICANT = _roles("personal", "other_personal", "corporate", other_personal=404, corporate=404)
CORPORATE = _roles("corporate")
OFFICER = _roles("officer")
SECADMIN = _roles("secadmin")
SYSADMIN = _roles("sysadmin")
AUDITOR = _roles("auditor")
STAFF = _roles("staff", "root_staff", "outside_staff")
STAFF_OF_THE_AGENCY = _roles("staff", "root_staff", "outside_staff", outside_staff=404)
# 修改密码/手机号码 with the owner's face: anyone else's account does not match that face.
OWNERS_FACE = _who(401, personal=OK)
# 注销账号 with the face of the other citizen: only their account matches it. The seafarer is
# told first that applications in progress keep the account open (409, their own affair);
# the accounts an operator creates are closed by an operator, never by their holder.
ACCOUNT_HOLDERS_FACE = _roles(
    "personal", "other_personal", "corporate", personal=409, other_personal=OK, corporate=401
)

Request = Callable[[World], dict | Awaitable[dict]]


@dataclass(frozen=True)
class Case:
    who: dict[str, object]
    request: Request
    ids: dict[str, str] = field(default_factory=dict)  # path parameter → object of the world


def case(who: dict[str, object], request: Request | None = None, **ids: str) -> Case:
    return Case(who, request or (lambda world: {}), ids)


def _json(body: dict) -> Request:
    return lambda world: {"json": body}


def _face(purpose: str, **body) -> Request:
    return lambda world: {"json": {**world.values["face"][purpose], **body}}


def _drafted(request: dict | None = None) -> Request:
    """The matrix's regulation item put in the draft first (by the system administrator)."""

    async def drafted(world: World) -> dict:
        put = await world.api.put(
            f"/admin/dataset/draft/files/regulation_items/records/{MATRIX_REGULATION['id']}",
            json=MATRIX_REGULATION,
            headers=world.callers["sysadmin"],
        )
        assert put.status_code == 200, put.text
        return request or {}

    return drafted


async def _fresh_display_token(world: World) -> dict:
    """亮证 right before the scans, so the two-minute token is still valid."""
    shown = await world.values["seafarer"].show(world.api, world.ids["certificate"])
    return {"json": {"token": shown["token"]}}


NEW_SHIP = {
    "name": "海港新星",
    "imo_number": "9074729",
    "mmsi": "413000001",
    "flag": "CN",
    "ship_type": "散货船",
    "gross_tonnage": 1200,
}
# The demo company's first ship (海港明珠, IMO 9876543) renamed: its own IMO number is no conflict.
EDITED_SHIP = {**NEW_SHIP, "name": "海港明珠", "imo_number": "9876543", "mmsi": "413123450"}
APP = "/api/v1"
# A P-256 public key (RFC 7517 appendix A.1) a client may register for private_key_jwt.
MATRIX_PUBLIC_KEY = {
    "kty": "EC",
    "crv": "P-256",
    "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
    "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM",
    "kid": "matrix",
}

ROUTES: dict[str, Case] = {
    # 运维、文档与公开信息
    "GET /healthz": case(PUBLIC),
    "GET /readyz": case(PUBLIC),
    "GET /metrics": case(PUBLIC),
    "GET /openapi.json": case(PUBLIC),
    "GET /docs": case(PUBLIC),
    "GET /redoc": case(PUBLIC),
    "GET /static/{path}": case(PUBLIC, path="stylesheet"),
    # 受理审批工作台: the page and its bundle are public; what it shows comes from the API above.
    "GET /workbench/{path}": case(PUBLIC, path="workbench-page"),
    "GET /.well-known/jwks.json": case(PUBLIC),
    f"GET {APP}/agencies": case(PUBLIC),
    f"GET {APP}/agencies/{{code}}": case(PUBLIC, code="agency"),
    f"GET {APP}/catalog/facets": case(PUBLIC),
    f"GET {APP}/catalog/items": case(PUBLIC),
    f"GET {APP}/catalog/items/{{code}}": case(PUBLIC, code="item"),
    f"GET {APP}/catalog/items/{{code}}/agencies": case(PUBLIC, code="item"),
    f"GET {APP}/online-items": case(PUBLIC),
    f"GET {APP}/help/articles": case(PUBLIC),
    f"GET {APP}/help/articles/{{article_id}}": case(PUBLIC, article_id="article"),
    f"GET {APP}/reference/countries": case(PUBLIC),
    f"GET {APP}/reference/ports": case(PUBLIC),
    f"GET {APP}/reference/fuel-suppliers": case(PUBLIC),
    f"GET {APP}/reference/regulation-items": case(PUBLIC),
    f"POST {APP}/public/progress": case(
        PUBLIC,
        lambda world: {"json": {"application_no": world.values["application_no"], "phone": "13800138000"}},
    ),
    f"POST {APP}/public/certificate-lookup": case(
        PUBLIC,
        lambda world: {
            "json": {
                "certificate_no": world.values["certificate_no"],
                "holder_name": world.values["holder_name"],
            }
        },
    ),
    # 登录注册: open to anyone, a token changes nothing; logging out needs one
    f"POST {APP}/auth/wechat/session": case(PUBLIC, _json({"code": "matrix-code"})),
    f"POST {APP}/auth/face/sessions": case(
        PUBLIC,
        lambda world: {
            "json": {
                "purpose": "register",
                "name": world.values["newcomer"]["name"],
                "id_number": world.values["newcomer"]["id_number"],
                "method": "reflective",
                "consent": FACE_CONSENT,
            }
        },
    ),
    f"POST {APP}/auth/register/personal": case(
        PUBLIC,
        lambda world: {
            "json": {
                **world.values["newcomer"],
                "password": STRONG_PASSWORD,
                **world.values["face"]["register"],
            }
        },
    ),
    f"POST {APP}/auth/register/corporate": case(PUBLIC, lambda world: {"json": corporate_registration()}),
    f"POST {APP}/auth/login/personal": case(PUBLIC, _face("login")),
    f"POST {APP}/auth/login/password": case(
        PUBLIC, _json({"username": "demo-corp", "password": "Demo@12345"})
    ),
    f"POST {APP}/auth/token/refresh": case(
        PUBLIC, lambda world: {"json": {"refresh_token": world.values["refresh_token"]}}
    ),
    f"POST {APP}/auth/password/reset": case(PUBLIC, _face("reset_password", new_password="Quayside#2031")),
    f"POST {APP}/auth/login/second-factor": case(
        PUBLIC,
        lambda world: {
            "json": {
                "ticket": world.values["tickets"]["second_factor"],
                # its enrolment used the current step's code; each code works once
                "code": totp_code(world.values["tickets"]["second_factor_secret"], steps_ahead=1),
            }
        },
    ),
    f"POST {APP}/auth/second-factor/enrolment": case(
        PUBLIC, lambda world: {"json": {"ticket": world.values["tickets"]["enrolment"]}}
    ),
    f"POST {APP}/auth/second-factor/enrolment/confirm": case(
        PUBLIC,
        lambda world: {
            "json": {
                "ticket": world.values["tickets"]["enrolment"],
                "code": totp_code(world.values["tickets"]["enrolment_secret"]),
            }
        },
    ),
    f"POST {APP}/auth/password/expired": case(
        PUBLIC,
        lambda world: {
            "json": {"ticket": world.values["tickets"]["expired_password"], "new_password": "Quayside#2031"}
        },
    ),
    f"POST {APP}/auth/logout": case(SIGNED_IN),
    # 三员: the security administrator manages operator accounts, the system administrator the system
    f"POST {APP}/admin/security/accounts": case(
        SECADMIN,
        _json({"role": "staff", "username": "matrix.new", "name": "新受理人员", "agency_code": "SH"}),
    ),
    f"POST {APP}/admin/security/accounts/{{account_id}}/unlock": case(
        SECADMIN, account_id="operator-account"
    ),
    f"DELETE {APP}/admin/security/accounts/{{account_id}}/second-factor": case(
        SECADMIN, account_id="operator-account"
    ),
    f"POST {APP}/admin/security/accounts/{{account_id}}/disable": case(
        SECADMIN, account_id="operator-account"
    ),
    f"POST {APP}/admin/security/accounts/{{account_id}}/enable": case(
        SECADMIN, account_id="operator-account"
    ),
    # 双人复核 of administrator accounts: the security administrator asks, another duty decides
    f"POST {APP}/admin/security/requests": case(
        SECADMIN,
        _json(
            {
                "action": "create_account",
                "role": "sysadmin",
                "username": "matrix.sysadmin",
                "name": "新系统管理员",
                "reason": "矩阵测试",
            }
        ),
    ),
    f"GET {APP}/admin/security/requests": case(_roles("secadmin", "sysadmin", "auditor")),
    f"POST {APP}/admin/security/requests/{{request_id}}/approve": case(
        _roles("sysadmin", "auditor"), request_id="admin-request"
    ),
    f"POST {APP}/admin/security/requests/{{request_id}}/reject": case(
        _roles("sysadmin", "auditor"),
        _json({"comment": "矩阵测试驳回"}),
        request_id="admin-request-to-reject",
    ),
    # 系统对接: the system administrator registers the machine clients, which take their tokens
    "POST /oauth/token": case(
        PUBLIC,
        lambda world: {
            "data": {
                "grant_type": "client_credentials",
                "client_id": world.ids["machine-client"],
                "client_secret": MANAGED_CLIENT_SECRET,
            }
        },
    ),
    f"POST {APP}/admin/clients": case(
        SYSADMIN,
        _json(
            {
                "name": "矩阵新客户端",
                "responsible_unit": "信息中心",
                "agency_code": "SH",
                "scopes": ["events:subscribe"],
            }
        ),
    ),
    f"GET {APP}/admin/clients": case(SYSADMIN),
    f"GET {APP}/admin/clients/{{client_id}}": case(SYSADMIN, client_id="machine-client"),
    f"PUT {APP}/admin/clients/{{client_id}}": case(
        SYSADMIN,
        _json({"name": "矩阵受管客户端", "responsible_unit": "信息中心", "scopes": ["applications:read"]}),
        client_id="machine-client",
    ),
    f"POST {APP}/admin/clients/{{client_id}}/secret": case(SYSADMIN, client_id="machine-client"),
    f"PUT {APP}/admin/clients/{{client_id}}/jwks": case(
        SYSADMIN, _json({"keys": [MATRIX_PUBLIC_KEY]}), client_id="machine-client"
    ),
    f"POST {APP}/admin/clients/{{client_id}}/revoke": case(SYSADMIN, client_id="machine-client"),
    f"GET {APP}/admin/agency-candidates": case(SYSADMIN),
    f"POST {APP}/admin/agency-candidates/{{code}}/confirm": case(SYSADMIN, code="agency-candidate"),
    f"POST {APP}/admin/agency-candidates/{{code}}/dismiss": case(SYSADMIN, code="dismissable-candidate"),
    # 数据维护与发布: the routes that need a change in the draft make one first.
    f"GET {APP}/admin/dataset/draft": case(SYSADMIN),
    f"DELETE {APP}/admin/dataset/draft": case(SYSADMIN),
    f"GET {APP}/admin/dataset/draft/files/{{file}}": case(SYSADMIN, file="dataset-file"),
    f"PUT {APP}/admin/dataset/draft/files/{{file}}/records/{{key}}": case(
        SYSADMIN, _json(MATRIX_REGULATION), file="dataset-file", key="dataset-record"
    ),
    f"DELETE {APP}/admin/dataset/draft/files/{{file}}/records/{{key}}": case(
        SYSADMIN, _drafted(), file="dataset-file", key="dataset-record"
    ),
    f"GET {APP}/admin/dataset/draft/diff": case(SYSADMIN),
    f"POST {APP}/admin/dataset/draft/publish": case(SYSADMIN, _drafted({"json": {"note": "权限测试发布"}})),
    f"GET {APP}/admin/dataset/versions": case(SYSADMIN),
    f"GET {APP}/admin/dataset/versions/{{number}}": case(SYSADMIN, number="dataset-version"),
    f"GET {APP}/admin/dataset/versions/{{number}}/diff": case(SYSADMIN, number="dataset-version"),
    f"POST {APP}/admin/dataset/versions/{{number}}/cancel": case(SYSADMIN, number="scheduled-version"),
    f"GET {APP}/admin/system/status": case(SYSADMIN),
    f"POST {APP}/admin/system/read-cache/refresh": case(SYSADMIN),
    f"GET {APP}/audit/events": case(AUDITOR),
    # 个人信息保护: consents, export, deletion
    f"GET {APP}/privacy/consent-texts": case(PUBLIC),
    f"GET {APP}/me/consents": case(SIGNED_IN),
    f"POST {APP}/me/consents": case(SIGNED_IN, _json(IDENTITY_DOCUMENTS_CONSENT)),
    f"DELETE {APP}/me/consents/{{purpose}}": case(OWN, purpose="consent-purpose"),
    f"GET {APP}/me/export": case(SIGNED_IN),
    f"POST {APP}/me/deletion": case(ACCOUNT_HOLDERS_FACE, _face("account_deletion")),
    # 用户信息
    f"GET {APP}/me": case(SIGNED_IN),
    f"PUT {APP}/me/password": case(OWNERS_FACE, _face("change_password", new_password="Quayside#2031")),
    f"PUT {APP}/me/phone": case(OWNERS_FACE, _face("change_phone", new_phone="13700137000")),
    f"DELETE {APP}/me/wechat-binding": case(SIGNED_IN),
    # 我的消息
    f"GET {APP}/me/messages": case(SIGNED_IN),
    f"GET {APP}/me/messages/unread-count": case(SIGNED_IN),
    f"POST {APP}/me/messages/read-all": case(SIGNED_IN),
    f"POST {APP}/me/messages/{{message_id}}/read": case(OWN, message_id="message"),
    f"GET {APP}/me/notifications/subscription": case(SIGNED_IN),
    f"POST {APP}/me/notifications/subscription": case(
        SIGNED_IN, _json({"template_id": "tpl-status", "accepted": 1})
    ),
    # 我的材料
    f"GET {APP}/me/materials": case(APPLICANT),
    f"POST {APP}/me/materials": case(
        APPLICANT, lambda world: {"files": {"file": ("证明.pdf", files.pdf(), "application/pdf")}}
    ),
    f"GET {APP}/me/materials/quota": case(APPLICANT),
    f"GET {APP}/me/materials/{{material_id}}/content": case(OWN_AS_APPLICANT, material_id="material"),
    f"DELETE {APP}/me/materials/{{material_id}}": case(OWN_AS_APPLICANT, material_id="spare-material"),
    # 我的船舶
    f"GET {APP}/me/ships": case(CORPORATE),
    f"POST {APP}/me/ships": case(CORPORATE, _json(NEW_SHIP)),
    f"PUT {APP}/me/ships/{{ship_id}}": case(CORPORATE, _json(EDITED_SHIP), ship_id="ship"),
    f"DELETE {APP}/me/ships/{{ship_id}}": case(CORPORATE, ship_id="ship"),
    # 在线办理 and 我的办件
    f"POST {APP}/applications": case(APPLICANT, _json({"item_code": "TH-002"})),
    f"GET {APP}/me/applications": case(APPLICANT),
    f"GET {APP}/applications/{{application_id}}": case(OWN_AS_APPLICANT, application_id="draft"),
    f"PUT {APP}/applications/{{application_id}}": case(OWN_AS_APPLICANT, _json({}), application_id="draft"),
    f"DELETE {APP}/applications/{{application_id}}": case(OWN_AS_APPLICANT, application_id="draft"),
    f"POST {APP}/applications/{{application_id}}/submit": case(OWN_AS_APPLICANT, application_id="draft"),
    f"POST {APP}/applications/{{application_id}}/cancel": case(OWN_AS_APPLICANT, application_id="submitted"),
    f"POST {APP}/applications/{{application_id}}/withdraw": case(
        OWN_AS_APPLICANT, application_id="withdrawable"
    ),
    f"GET {APP}/applications/{{application_id}}/notices": case(OWN_AS_APPLICANT, application_id="finished"),
    f"GET {APP}/applications/{{application_id}}/guide": case(OWN_AS_APPLICANT, application_id="submitted"),
    f"GET {APP}/applications/{{application_id}}/notices/{{notice_id}}": case(
        OWN_AS_APPLICANT, application_id="finished", notice_id="notice"
    ),
    # 好差评
    f"POST {APP}/applications/{{application_id}}/evaluation": case(
        OWN_AS_APPLICANT, _json({"rating": 5}), application_id="finished"
    ),
    f"GET {APP}/me/evaluations": case(APPLICANT),
    f"GET {APP}/staff/evaluations": case(STAFF),
    # 回访整改
    f"GET {APP}/staff/follow-ups": case(STAFF),
    f"GET {APP}/staff/follow-ups/counts": case(STAFF),
    f"GET {APP}/staff/follow-ups/{{follow_up_id}}": case(STAFF_OF_THE_AGENCY, follow_up_id="follow-up"),
    f"POST {APP}/staff/follow-ups/{{follow_up_id}}/visit": case(
        STAFF_OF_THE_AGENCY,
        lambda world: {
            "json": {
                "contacted_at": utcnow().isoformat(),
                "channel": "phone",
                "applicant_said": "等待太久",
                "finding": "属实",
            }
        },
        follow_up_id="follow-up",
    ),
    f"POST {APP}/staff/follow-ups/{{follow_up_id}}/rectification": case(
        STAFF_OF_THE_AGENCY,
        _json({"rectification": "已优化受理流程", "applicant_satisfied": True}),
        follow_up_id="visited-follow-up",
    ),
    # 受理与审批
    f"GET {APP}/staff/applications": case(STAFF),
    f"GET {APP}/staff/applications/{{application_id}}": case(STAFF_OF_THE_AGENCY, application_id="submitted"),
    f"GET {APP}/staff/applications/{{application_id}}/guide": case(STAFF_OF_THE_AGENCY, application_id="submitted"),
    f"POST {APP}/staff/applications/{{application_id}}/decisions": case(
        STAFF_OF_THE_AGENCY, _json({"action": "accept", "comment": "材料齐全"}), application_id="submitted"
    ),
    f"POST {APP}/staff/applications/{{application_id}}/decisions/preview": case(
        STAFF_OF_THE_AGENCY, _json({"action": "accept", "comment": "材料齐全"}), application_id="submitted"
    ),
    f"GET {APP}/staff/applications/{{application_id}}/notices/{{notice_id}}": case(
        STAFF_OF_THE_AGENCY, application_id="finished", notice_id="notice"
    ),
    f"GET {APP}/staff/applications/{{application_id}}/materials/{{material_id}}/content": case(
        STAFF_OF_THE_AGENCY, application_id="submitted", material_id="attached-material"
    ),
    # 办件对接: the authority's back office, by the client's agency subtree, as staff.
    f"GET {APP}/backoffice/applications": case(CLIENT),
    f"GET {APP}/backoffice/applications/{{application_id}}": case(
        CLIENT_OF_THE_AGENCY, application_id="submitted"
    ),
    f"POST {APP}/backoffice/applications/{{application_id}}/decisions": case(
        CLIENT_OF_THE_AGENCY, _json({"action": "accept", "comment": "材料齐全"}), application_id="submitted"
    ),
    f"POST {APP}/backoffice/applications/{{application_id}}/decisions/preview": case(
        CLIENT_OF_THE_AGENCY, _json({"action": "accept", "comment": "材料齐全"}), application_id="submitted"
    ),
    f"GET {APP}/backoffice/applications/{{application_id}}/notices/{{notice_id}}": case(
        CLIENT_OF_THE_AGENCY, application_id="finished", notice_id="notice"
    ),
    f"GET {APP}/backoffice/applications/{{application_id}}/materials/{{material_id}}/content": case(
        CLIENT_OF_THE_AGENCY, application_id="submitted", material_id="attached-material"
    ),
    # 统计分析: of an agency of the caller's subtree only; another subtree's agency does not exist.
    f"GET {APP}/staff/statistics": case(
        STAFF_OF_THE_AGENCY, lambda world: {"params": {"agency_code": "SH"}}
    ),
    # 我的证照, 亮证, 证照纠错
    # The registry's bulk load: one refused line still answers 200 with its NDJSON report.
    f"POST {APP}/registry/certificates/bulk": case(
        CLIENT,
        lambda world: {
            "content": b'{"registry_id": "R-1"}\n',
            "headers": {"Content-Type": "application/x-ndjson"},
        },
    ),
    f"GET {APP}/me/certificates": case(SIGNED_IN),
    f"GET {APP}/me/certificates/{{certificate_id}}": case(OWN, certificate_id="certificate"),
    f"POST {APP}/me/certificates/{{certificate_id}}/display-token": case(OWN, certificate_id="certificate"),
    f"GET {APP}/me/certificates/{{certificate_id}}/document": case(OWN, certificate_id="result-document"),
    f"POST {APP}/me/certificates/{{certificate_id}}/corrections": case(
        OWN,
        _json({"field": "limitations", "proposed_value": "仅限沿海", "reason": "适用限制登记有误"}),
        certificate_id="certificate",
    ),
    f"GET {APP}/me/corrections": case(SIGNED_IN),
    f"POST {APP}/officer/scans": case(OFFICER, _fresh_display_token),
    # 证照登记系统推送 (machine clients with certificates:write; the registry is the authority's own)
    f"PUT {APP}/registry/certificates/{{registry_id}}": case(
        CLIENT, _json(MATRIX_PUSH), registry_id="pushed-certificate"
    ),
    f"GET {APP}/registry/certificates/{{registry_id}}": case(CLIENT, registry_id="pushed-certificate"),
    # 证照纠错审核
    f"GET {APP}/staff/corrections": case(STAFF),
    f"GET {APP}/staff/corrections/{{correction_id}}": case(STAFF_OF_THE_AGENCY, correction_id="correction"),
    f"POST {APP}/staff/corrections/{{correction_id}}/decisions": case(
        STAFF_OF_THE_AGENCY,
        _json({"action": "accept", "comment": "经核实予以更正"}),
        correction_id="correction",
    ),
    f"GET {APP}/staff/corrections/{{correction_id}}/materials/{{material_id}}/content": case(
        STAFF_OF_THE_AGENCY, correction_id="correction", material_id="evidence"
    ),
    # 系统对接：事件订阅 (the subscription and the delivery are the SH client's)
    f"POST {APP}/webhooks/subscriptions": case(
        CLIENT, _json({"url": "https://consumer.example/hooks", "event_types": ["application.*"]})
    ),
    f"GET {APP}/webhooks/subscriptions": case(CLIENT),
    f"DELETE {APP}/webhooks/subscriptions/{{subscription_id}}": case(
        CLIENT_OF_THE_AGENCY, subscription_id="webhook-subscription"
    ),
    f"GET {APP}/webhooks/deliveries": case(CLIENT),
    f"GET {APP}/webhooks/deliveries/{{delivery_id}}": case(
        CLIENT_OF_THE_AGENCY, delivery_id="webhook-delivery"
    ),
    f"POST {APP}/webhooks/deliveries/{{delivery_id}}/replay": case(
        CLIENT_OF_THE_AGENCY, delivery_id="webhook-delivery"
    ),
}


def _app_without_database(tmp_path):
    """The app as created, not started: its routes and contract, no database behind it."""
    return create_app(settings_for_tests("sqlite+aiosqlite:///unused.sqlite3", tmp_path))


def _served_routes(app) -> set[str]:
    """Every method and path the app answers (HEAD aside), mounts included, as the table keys them."""
    return {
        f"{method} {route.path_format}"
        for route in iter_route_contexts(app.routes)
        for method in (route.methods or {"GET"}) - {"HEAD"}
    }


def test_the_table_has_a_row_for_every_route_of_the_app(tmp_path):
    served = _served_routes(_app_without_database(tmp_path))

    assert {"missing from the table": served - set(ROUTES), "not served": set(ROUTES) - served} == {
        "missing from the table": set(),
        "not served": set(),
    }


def test_every_route_that_needs_a_token_has_an_outcome_for_every_caller():
    signed_in_only = {route: set(row.who) for route, row in ROUTES.items() if row.who is not PUBLIC}

    assert signed_in_only == {route: set(CALLERS) for route in signed_in_only}


def test_the_public_routes_are_exactly_those_the_contract_asks_no_token_for(tmp_path):
    contract = _app_without_database(tmp_path).openapi()["paths"]
    documented = {
        f"{method.upper()} {path}": not operation.get("security")
        for path, operations in contract.items()
        for method, operation in operations.items()
    }

    assert documented == {route: row.who is PUBLIC for route, row in ROUTES.items() if route in documented}


def _outcome(status: int) -> object:
    return OK if 200 <= status < 300 else status


async def _request(world: World, row: Case) -> dict:
    request = row.request(world)
    return await request if inspect.isawaitable(request) else request


@pytest.mark.parametrize("route", ROUTES)
async def test_each_caller_gets_exactly_what_the_route_allows_them(shared, world, route):
    method, template = route.split(" ")
    row = ROUTES[route]
    url = template.format(**{parameter: world.ids[name] for parameter, name in row.ids.items()})
    request = await _request(world, row)

    outcomes, codes = {}, {}
    for caller in row.who:
        headers = world.callers[caller] | request.get("headers", {})  # a row may add Content-Type
        response = await shared.attempt(method, url, **(request | {"headers": headers}))
        outcomes[caller] = _outcome(response.status_code)
        if outcomes[caller] != OK and response.headers.get("content-type") == "application/problem+json":
            codes[caller] = response.json()["code"]

    assert outcomes == row.who, codes


# Routes that a caller may be refused by role, and the first such caller.
REFUSED = {
    route: next((caller for caller, outcome in row.who.items() if outcome == 403), None)
    for route, row in ROUTES.items()
    if row.who is not PUBLIC
}


@pytest.mark.parametrize("route", REFUSED)
async def test_callers_are_turned_away_before_their_request_is_read(shared, world, route):
    """Wrong ids and a wrong body still get 401 or 403, not 422: nothing about the request is
    told to someone who may not make it. (A body that is not JSON at all is the exception:
    FastAPI decodes it before it resolves any dependency, so that is a 422 for anyone.)"""
    method, template = route.split(" ")
    url = template.format(**dict.fromkeys(ROUTES[route].ids, "not an id"))
    refused = {"anonymous": 401} | ({REFUSED[route]: 403} if REFUSED[route] else {})

    outcomes = {
        caller: (
            await shared.attempt(method, url, headers=world.callers[caller], json={"unexpected": [1]})
        ).status_code
        for caller in refused
    }

    assert outcomes == refused


# Routes the caller may use, pointed at something that is not theirs to see although its
# owner is: a child reached through a parent it does not belong to, or a draft not yet sent.
NOT_THERE_FOR_THEM = {
    "a notice of another application": ("personal", "/applications/{submitted}/notices/{notice}"),
    "a notice of another application, as staff": (
        "staff",
        "/staff/applications/{submitted}/notices/{notice}",
    ),
    "a material not attached to the application": (
        "staff",
        "/staff/applications/{submitted}/materials/{material}/content",
    ),
    "a material not attached to the correction": (
        "staff",
        "/staff/corrections/{correction}/materials/{material}/content",
    ),
    "a draft, before it is submitted, as staff": ("root-staff", "/staff/applications/{draft}"),
    "a notice of another application, as the back office": (
        "client",
        "/backoffice/applications/{submitted}/notices/{notice}",
    ),
    "a material not attached to the application, as the back office": (
        "client",
        "/backoffice/applications/{submitted}/materials/{material}/content",
    ),
    "a draft, before it is submitted, as the back office": ("client", "/backoffice/applications/{draft}"),
}


@pytest.mark.parametrize("what", NOT_THERE_FOR_THEM)
async def test_what_is_not_the_callers_to_see_does_not_exist_for_them(shared, world, what):
    caller, template = NOT_THERE_FOR_THEM[what]
    url = APP + template.format(**{key.replace("-", "_"): value for key, value in world.ids.items()})

    response = await shared.attempt("GET", url, headers=world.callers[caller])

    assert response.status_code == 404, response.text


# 办件队列's filters narrow the caller's own subtree; naming another agency or the very number of
# an application outside it never brings that application into view.
QUEUE_FILTERS_OUTSIDE = {
    "another subtree's agency": lambda world: {"agency_code": "SH"},
    "the number of an application in another subtree": lambda world: {
        "number": world.values["application_no"]
    },
    "the item of an application in another subtree": lambda world: {"item_code": "TH-002"},
}


# The workbench's queue and the back office's (a machine client of the agency) alike.
QUEUES = {
    "staff": ("/staff/applications", "staff", "outside-staff"),
    "back office": ("/backoffice/applications", "client", "outside-client"),
}


@pytest.mark.parametrize("queue", QUEUES)
@pytest.mark.parametrize("what", QUEUE_FILTERS_OUTSIDE)
async def test_no_queue_filter_reaches_past_the_callers_subtree(shared, world, what, queue):
    query = QUEUE_FILTERS_OUTSIDE[what](world)
    path, insider, outsider = QUEUES[queue]
    url = f"{APP}{path}"

    outside = await shared.attempt("GET", url, params=query, headers=world.callers[outsider])
    inside = await shared.attempt("GET", url, params=query, headers=world.callers[insider])

    assert outside.status_code == 200 and outside.json()["items"] == [], outside.text
    assert world.ids["submitted"] in [item["id"] for item in inside.json()["items"]]
