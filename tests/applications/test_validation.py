"""提交 checks everything a draft may leave open, and names each field in Chinese."""

from datetime import date, timedelta

from tests.support.applying import field_errors, filled_draft, submit_draft, upload_pdf
from tests.support.people import bearer, register_citizen


async def test_an_empty_draft_lists_everything_missing(api, corp):
    response = await submit_draft(api, corp, {"item_code": "TH-001"})

    errors = field_errors(response)
    assert errors[("body", "form", "project_name")].endswith("为必填项")
    assert errors[("body", "agency_code")] == "请选择受理机构"
    assert ("body", "contact_phone") not in errors  # 选填: the account's phone when left empty
    assert ("body", "materials", "approval_documents") in errors


async def test_the_end_of_a_restricted_period_must_follow_its_start(api, corp):
    body = await filled_draft(api, corp, "TH-001")
    body["form"] = {**body["form"], "period_start": "2026-10-10", "period_end": "2026-10-01"}

    assert field_errors(await submit_draft(api, corp, body)) == {
        ("body", "form", "period_end"): "划定期限的截止日期应晚于开始日期"
    }


async def test_a_finding_date_in_the_future_is_refused(api, corp):
    body = await filled_draft(api, corp, "WF-002")
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    body["form"] = {**body["form"], "found_date": tomorrow}

    assert (
        field_errors(await submit_draft(api, corp, body))[("body", "form", "found_date")]
        == "发现不合规日期不能晚于今天"
    )


async def test_a_ship_must_be_one_of_my_ships_with_a_valid_imo_number(api, corp):
    body = await filled_draft(api, corp, "WF-002")
    body["form"] = {**body["form"], "ship": {**body["form"]["ship"], "imo_number": "9234563"}}

    errors = field_errors(await submit_draft(api, corp, body))

    assert errors == {("body", "form", "ship", "imo_number"): "该船舶不在“我的船舶”中，请先添加船舶"}
    body["form"]["ship"]["imo_number"] = "9234564"
    assert (
        field_errors(await submit_draft(api, corp, body))[("body", "form", "ship", "imo_number")]
        == "IMO编号校验位不正确"
    )


async def test_pick_list_ids_must_exist(api, corp):
    body = await filled_draft(api, corp, "WF-002")
    body["form"] = {
        **body["form"],
        "supplier_id": "FS999",
        "bunkering_port": "CNXXX",
        "port_country": "ZZ",
        "noncompliant_items": ["MARPOL-VI-14.1.3", "NO-SUCH-RULE"],
    }

    errors = field_errors(await submit_draft(api, corp, body))

    assert errors[("body", "form", "supplier_id")] == "燃油供应商不存在：FS999"
    assert errors[("body", "form", "bunkering_port")] == "港口不存在：CNXXX"
    assert errors[("body", "form", "port_country")] == "国家或地区代码不存在：ZZ"
    assert errors[("body", "form", "noncompliant_items", 1)] == "不符合的规定项不存在：NO-SUCH-RULE"


async def test_the_schema_errors_carry_the_fields_title(api, corp):
    body = await filled_draft(api, corp, "WF-001")
    body["form"] = {**body["form"], "unified_credit_code": "91310115MA1K3Y8Q5A"}

    errors = field_errors(await submit_draft(api, corp, body))

    assert errors[("body", "form", "unified_credit_code")] == "统一社会信用代码校验位不正确"


async def test_the_accepting_agency_must_handle_the_item(api, corp):
    body = await filled_draft(api, corp, "TH-001")
    levels = [lvl["code"] for lvl in (await api.get("/catalog/items/TH-001")).json()["handling_levels"]]
    assert "ministry_bureau" not in levels
    body["agency_code"] = "CN"

    errors = field_errors(await submit_draft(api, corp, body))

    assert "不受理该事项" in errors[("body", "agency_code")]


async def test_materials_must_be_my_own(api, corp):
    _, someone = await register_citizen(api)
    theirs = await upload_pdf(api, bearer(someone), "theirs")
    body = await filled_draft(api, corp, "WF-002")
    body["materials"] = [{"slot": "report_materials", "material_id": theirs}]

    response = await api.post("/applications", json=body, headers=corp)

    assert field_errors(response) == {("body", "materials", 0, "material_id"): "材料不存在，请从“我的材料”中选择"}


async def test_an_item_that_is_not_online_cannot_be_applied_for(api, corp):
    response = await api.post("/applications", json={"item_code": "CY-001"}, headers=corp)

    assert response.status_code == 422
    assert response.json()["code"] == "application.item_not_online"


async def test_mass_assigned_status_is_refused(api, corp):
    response = await api.post(
        "/applications", json={"item_code": "WF-002", "status": "approved"}, headers=corp
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "status"]
