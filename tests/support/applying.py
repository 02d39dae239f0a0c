"""在线办理 as the manual describes it, step by step, for the tests."""

import secrets
from datetime import datetime, timedelta

from app.accounts.service import create_operator_account
from app.core.auth import Role
from app.core.schemas import CHINA_TIME
from app.core.seeding import read_seed
from tests.support import files
from tests.support.people import bearer, password_login

# The codes of the online items as the data ships them (``online_items.json``): tests follow
# the data, so a new online item is covered without editing them.
ONLINE_ITEMS = [form["item_code"] for form in read_seed("app.catalog", "online_items.json")]
# An item's nature decides what its 准予 carries (licensing: a licence, filing: a 备案编号).
NATURE = {item["code"]: item["nature"] for item in read_seed("app.catalog", "items.json")}
# An accepting agency per item, inside 上海海事局's subtree (demo-staff-sh reviews it).
AGENCY_FOR_LEVEL = {"direct_bureau": "SH", "branch_bureau": "SH-WS"}


async def login(api, username: str) -> dict:
    return bearer(await password_login(api, username))


async def online_item(api, item_code: str) -> dict:
    return next(i for i in (await api.get("/online-items")).json() if i["item_code"] == item_code)


async def accepting_agency(api, item_code: str) -> str:
    levels = [lvl["code"] for lvl in (await api.get(f"/catalog/items/{item_code}")).json()["handling_levels"]]
    return next(AGENCY_FOR_LEVEL[level] for level in ("direct_bureau", "branch_bureau") if level in levels)


async def upload_pdf(api, headers: dict, name: str) -> str:
    response = await api.post(
        "/me/materials", files={"file": (f"{name}.pdf", files.pdf(), "application/pdf")}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def required_materials(api, headers: dict, item: dict) -> list[dict]:
    """第二步 添加申请材料: one uploaded PDF per required slot."""
    return [
        {"slot": slot["slot"], "material_id": await upload_pdf(api, headers, slot["slot"])}
        for slot in item["material_slots"]
        if slot["required"]
    ]


async def filled_draft(api, headers: dict, item_code: str) -> dict:
    """The body of a complete application: the item's example, its materials, agency and contact."""
    item = await online_item(api, item_code)
    return {
        "item_code": item_code,
        "agency_code": await accepting_agency(api, item_code),
        "form": item["example"],
        "materials": await required_materials(api, headers, item),
        "contact_name": "王海明",
        "contact_phone": "13800138000",
    }


async def submitted_application(api, headers: dict, item_code: str, draft: dict | None = None) -> dict:
    """保存 then 提交 ``draft`` (by default a new complete one, with its own uploaded materials)."""
    draft = draft or await filled_draft(api, headers, item_code)
    created = await api.post("/applications", json=draft, headers=headers)
    assert created.status_code == 201, created.text
    submitted = await api.post(f"/applications/{created.json()['id']}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


async def decide(api, staff: dict, application: dict, action: str, **extra) -> dict:
    """A decision as staff make it; a 准予 or 不予许可 carries what its item's nature needs
    (``decision_content``) unless the test says otherwise."""
    body = {"action": action, **decision_content(application["item"]["code"], action), **extra}
    response = await api.post(f"/staff/applications/{application['id']}/decisions", json=body, headers=staff)
    assert response.status_code == 200, response.text
    return response.json()


def decision_content(item_code: str, action: str) -> dict:
    """What a 准予 carries by the item's nature (a licence from today for a year; a fresh 备案编号;
    nothing for a report), and a 不予许可 its reason and 法律依据."""
    if action == "decline":
        return {"denial": {"legal_basis": ["《中华人民共和国海事行政许可条件规定》"]}}
    if action != "approve":
        return {}
    nature = NATURE[item_code]
    if nature == "licensing":
        today = datetime.now(CHINA_TIME).date()
        return {
            "licence": {
                "matter": "准予在吴淞口锚地以北水域进行疏浚作业",
                "valid_from": today.isoformat(),
                "valid_until": (today + timedelta(days=364)).isoformat(),
            }
        }
    if nature == "filing":
        return {"filing_number": f"沪海污备〔{datetime.now(CHINA_TIME).year}〕{secrets.randbelow(10**8):08d}"}
    return {}


async def submit_draft(api, headers: dict, body: dict):
    """保存 ``body`` as a draft, then 提交 it; the answer of 提交 (accepted or not)."""
    created = await api.post("/applications", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return await api.post(f"/applications/{created.json()['id']}/submit", headers=headers)


def field_errors(response) -> dict[tuple, str]:
    """A refused request's zh-CN messages by field path (``("body", "form", "eta")``)."""
    assert response.status_code == 422, response.text
    return {tuple(e["loc"]): e["msg"] for e in response.json()["errors"]}


async def staff_of_another_agency(api, session) -> dict:
    """Staff of 天津海事局, outside 上海海事局's subtree where the tests apply: their tokens."""
    await create_operator_account(
        session,
        role=Role.staff,
        username="staff-tj",
        name="天津受理员",
        password="Reviewer#2026",
        agency_code="TJ",
    )
    return await password_login(api, "staff-tj", "Reviewer#2026")
