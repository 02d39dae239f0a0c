"""Each online item is checked by its own form schema and its own rules, and no other item's.

A sixth online item is added the way a maintainer adds one: an entry in ``items.json`` and one
in ``online_items.json`` (here built in the test and loaded by the seed's own loaders). It
reuses field names of 因燃油导致发动机故障报告 (``failure_time``, ``eta``, ``supplier_id``) but
states no rules, so none of that item's checks follow the names into it.
"""

from datetime import datetime, timedelta

import pytest

from app.catalog.seed import load_items, load_online_forms
from app.core.schemas import CHINA_TIME
from app.core.seeding import read_seed
from tests.support.applying import field_errors, filled_draft, submit_draft, upload_pdf

SIXTH = "TH-901"


def _sixth_item() -> dict:
    """The 办事指南 entry of the new item: a copy of an existing one under a new code and name."""
    template = next(i for i in read_seed("app.catalog", "items.json") if i["code"] == "WF-003")
    return {**template, "code": SIXTH, "name": "船舶航次动态报告（测试）", "aliases": []}


def _sixth_form() -> dict:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["voyage_name", "failure_time", "eta"],
        "properties": {
            "voyage_name": {"type": "string", "title": "航次名称", "minLength": 1, "maxLength": 50},
            "failure_time": {"type": "string", "format": "date-time", "title": "停航时间"},
            "eta": {"type": "string", "format": "date-time", "title": "预计抵达时间"},
            "supplier_id": {"type": "string", "title": "代理编号", "maxLength": 20},
        },
    }
    example = {
        "voyage_name": "沪甬线第12航次",
        "failure_time": "2026-05-15T09:40:00+08:00",
        "eta": "2026-05-16T09:40:00+08:00",
    }
    return {
        "item_code": SIXTH,
        "name": "船舶航次动态报告（测试）",
        "after_submit": "cancel",
        "promised_working_days": None,  # a report: received at once
        "steps": [
            {"key": "basic", "title": "填写基本信息", "kind": "form", "fields": list(schema["properties"])},
            {"key": "materials", "title": "添加申请材料", "kind": "materials", "slots": ["voyage_plan"]},
        ],
        "material_slots": [{"slot": "voyage_plan", "name": "航次计划", "required": True}],
        "form_schema": schema,
        "rules": {},
        "example": example,
    }


@pytest.fixture
async def sixth_item(session) -> dict:
    """The seed data with a sixth online item, loaded as ``python -m app.cli seed`` loads it."""
    form = _sixth_form()
    await load_items(session, [_sixth_item()])
    await load_online_forms(session, [*read_seed("app.catalog", "online_items.json"), form])
    return form


async def _draft(api, corp, form: dict) -> dict:
    return {
        "item_code": SIXTH,
        "agency_code": "SH",
        "form": form,
        "materials": [{"slot": "voyage_plan", "material_id": await upload_pdf(api, corp, "voyage_plan")}],
        "contact_name": "王海明",
        "contact_phone": "13800138000",
    }


async def test_a_sixth_item_reusing_field_names_is_checked_by_its_own_schema_only(api, corp, sixth_item):
    now = datetime.now(CHINA_TIME)
    form = {
        **sixth_item["example"],
        "failure_time": (now + timedelta(days=3)).isoformat(),  # WF-003: 不能晚于当前时间
        "eta": (now + timedelta(days=1)).isoformat(),  # WF-003: 应晚于故障发生时间
        "supplier_id": "FS999",  # WF-003: 燃油供应商不存在
    }

    submitted = await submit_draft(api, corp, await _draft(api, corp, form))

    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"]["code"] == "submitted"


async def test_the_sixth_items_own_schema_still_applies(api, corp, sixth_item):
    form = {k: v for k, v in sixth_item["example"].items() if k != "voyage_name"}

    errors = field_errors(await submit_draft(api, corp, await _draft(api, corp, form)))

    assert errors == {("body", "form", "voyage_name"): "航次名称为必填项"}


async def test_the_same_field_names_keep_their_rules_in_the_item_that_states_them(api, corp, sixth_item):
    now = datetime.now(CHINA_TIME)
    body = await filled_draft(api, corp, "WF-003")
    later = {"failure_time": (now + timedelta(days=3)).isoformat(), "eta": (now + timedelta(days=1)).isoformat()}
    body["form"] = {**body["form"], **later, "supplier_id": "FS999"}

    errors = field_errors(await submit_draft(api, corp, body))

    assert errors == {
        ("body", "form", "failure_time"): "故障发生时间不能晚于当前时间",
        ("body", "form", "eta"): "预计抵达时间应晚于故障发生时间",
        ("body", "form", "supplier_id"): "燃油供应商不存在：FS999",
    }


@pytest.mark.parametrize(
    ("rules", "wrong"),
    [
        ({"not_in_future": [{"field": "arrival", "message": "不能晚于今天"}]}, "'arrival' is not in the form"),
        ({"not_in_future": [{"field": "voyage_name", "message": "不能晚于今天"}]}, "is not a date"),
        ({"pick_lists": [{"field": "eta", "list": "harbours"}]}, "harbours"),
        ({"check_digits": [{"field": "voyage_name[].imo_number", "kind": "imo_number"}]}, "not in the form"),
        ({"own_ship": "voyage_name"}, "has no imo_number"),
        ({"date_orders": []}, "date_orders"),
    ],
)
async def test_the_seed_refuses_rules_that_do_not_fit_the_items_form(session, rules, wrong):
    with pytest.raises(ValueError, match=wrong):
        await load_online_forms(session, [{**_sixth_form(), "rules": rules}])
