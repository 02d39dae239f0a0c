"""燃油供应商“其他”: a supplier not on the list is typed in by name (and 统一社会信用代码 where
known); a fuel report names exactly one supplier, from the list or typed in."""

import io

import pytest
from jsonschema import Draft202012Validator
from pypdf import PdfReader

from tests.support.applying import decide, field_errors, filled_draft, online_item, submit_draft
from tests.support.people import credit_code

FUEL_REPORTS = ["WF-002", "WF-003"]


def _without_supplier(form: dict) -> dict:
    return {k: v for k, v in form.items() if k not in ("supplier_id", "supplier_other")}


@pytest.mark.parametrize("item_code", FUEL_REPORTS)
async def test_the_form_schema_asks_for_exactly_one_supplier(api, item_code):
    item = await online_item(api, item_code)
    schema = item["form_schema"]
    validator = Draft202012Validator(schema)
    typed_in = {**_without_supplier(item["example"]), "supplier_other": {"name": "舟山某燃料公司"}}

    assert schema["oneOf"] == [{"required": ["supplier_id"]}, {"required": ["supplier_other"]}]
    assert validator.is_valid(item["example"])
    assert validator.is_valid(typed_in)
    assert not validator.is_valid({**typed_in, "supplier_id": "FS001"})
    assert not validator.is_valid(_without_supplier(item["example"]))
    assert "supplier_other" in [f for step in item["steps"] for f in step["fields"]]


@pytest.mark.parametrize("item_code", FUEL_REPORTS)
async def test_a_supplier_not_on_the_list_is_typed_in_and_named_on_the_notice(api, corp, staff, item_code):
    body = await filled_draft(api, corp, item_code)
    supplier = {"name": "舟山海港燃料供应有限公司", "credit_code": credit_code()}
    body["form"] = {**_without_supplier(body["form"]), "supplier_other": supplier}

    submitted = await submit_draft(api, corp, body)
    assert submitted.status_code == 200, submitted.text
    accepted = await decide(api, staff, submitted.json(), "accept")

    notice = accepted["notices"][0]
    shown = await api.get(f"/applications/{accepted['id']}/notices/{notice['id']}", headers=corp)
    assert shown.json()["content"]["fuel_supplier"] == "舟山海港燃料供应有限公司"
    as_pdf = {**corp, "Accept": "application/pdf"}
    pdf = await api.get(f"/applications/{accepted['id']}/notices/{notice['id']}", headers=as_pdf)
    assert "燃油供应商：舟山海港燃料供应有限公司" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


async def test_a_supplier_from_the_list_is_named_on_the_notice_too(api, corp, staff):
    body = await filled_draft(api, corp, "WF-002")  # the example picks FS001
    submitted = await submit_draft(api, corp, body)

    accepted = await decide(api, staff, submitted.json(), "accept")

    notice = accepted["notices"][0]
    shown = await api.get(f"/applications/{accepted['id']}/notices/{notice['id']}", headers=corp)
    assert shown.json()["content"]["fuel_supplier"] == "中国船舶燃料有限责任公司"


async def test_a_report_without_a_supplier_asks_for_one(api, corp):
    body = await filled_draft(api, corp, "WF-002")
    body["form"] = _without_supplier(body["form"])

    errors = field_errors(await submit_draft(api, corp, body))

    assert errors[("body", "form", "supplier_id")] == "请填写燃油供应商公司或其他燃油供应商"


async def test_a_supplier_both_picked_and_typed_in_is_refused(api, corp):
    body = await filled_draft(api, corp, "WF-003")
    body["form"] = {**body["form"], "supplier_other": {"name": "舟山海港燃料供应有限公司"}}

    errors = field_errors(await submit_draft(api, corp, body))

    assert errors[("body", "form", "supplier_other")] == "燃油供应商公司与其他燃油供应商只能填写一项"


async def test_a_typed_in_supplier_needs_a_name_and_a_valid_credit_code(api, corp):
    body = await filled_draft(api, corp, "WF-002")
    body["form"] = {
        **_without_supplier(body["form"]),
        "supplier_other": {"name": "舟", "credit_code": "91310115MA1K3Y8Q5A"},
    }

    errors = field_errors(await submit_draft(api, corp, body))

    assert errors[("body", "form", "supplier_other", "name")] == "供应商名称至少需要2个字"
    assert errors[("body", "form", "supplier_other", "credit_code")] == "统一社会信用代码校验位不正确"


async def test_a_typed_in_supplier_without_a_name_is_incomplete(api, corp):
    body = await filled_draft(api, corp, "WF-002")
    body["form"] = {**_without_supplier(body["form"]), "supplier_other": {"credit_code": credit_code()}}

    errors = field_errors(await submit_draft(api, corp, body))

    assert errors[("body", "form", "supplier_other", "name")] == "供应商名称为必填项"
