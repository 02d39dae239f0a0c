"""在线办理: the online items of the data, the five of the manual among them, with their forms."""

from jsonschema import Draft202012Validator

from tests.support.applying import ONLINE_ITEMS

MANUAL_ITEMS = {
    "TH-001": ("沿海水域划定禁航区和安全作业区审批", "cancel"),
    "TH-002": ("通航水域岸线安全使用", "cancel"),
    "WF-001": (
        "港口、码头、装卸站及船舶有关作业单位防治船舶及其有关作业活动污染海洋环境应急预案备案",
        "withdraw",
    ),
    "WF-002": ("不合规燃油信息报告", "cancel"),
    "WF-003": ("因燃油导致发动机故障报告", "cancel"),
}


async def test_the_online_page_lists_the_online_items_with_the_five_of_the_manual_among_them(api):
    response = await api.get("/online-items")

    assert response.status_code == 200
    listed = {i["item_code"]: (i["name"], i["after_submit"]) for i in response.json()}
    assert sorted(listed) == sorted(ONLINE_ITEMS)
    assert {code: listed.get(code) for code in MANUAL_ITEMS} == MANUAL_ITEMS


async def test_every_example_form_validates_against_its_schema(api):
    for item in (await api.get("/online-items")).json():
        Draft202012Validator.check_schema(item["form_schema"])
        validator = Draft202012Validator(
            item["form_schema"], format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        assert not list(validator.iter_errors(item["example"])), item["item_code"]


async def test_the_schemas_reject_what_the_forms_must_not_accept(api):
    for item in (await api.get("/online-items")).json():
        validator = Draft202012Validator(
            item["form_schema"], format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        assert list(validator.iter_errors({})), f"{item['item_code']}: empty form accepted"
        assert list(validator.iter_errors({**item["example"], "status": "approved"})), "extra field accepted"


async def test_steps_cover_every_field_and_material_slot_exactly_once(api):
    for item in (await api.get("/online-items")).json():
        fields = [f for step in item["steps"] for f in step["fields"]]
        slots = [s for step in item["steps"] for s in step["slots"]]
        assert sorted(fields) == sorted(item["form_schema"]["properties"]), item["item_code"]
        assert sorted(slots) == sorted(s["slot"] for s in item["material_slots"]), item["item_code"]
        assert any(slot["required"] for slot in item["material_slots"])


async def test_items_with_an_agency_page_end_with_choosing_the_accepting_agency(api):
    items = {i["item_code"]: i for i in (await api.get("/online-items")).json()}

    for code in ("TH-001", "TH-002", "WF-001"):
        kinds = [step["kind"] for step in items[code]["steps"]]
        assert kinds == ["form", "materials", "agency"], code
    assert [s["title"] for s in items["WF-002"]["steps"]][:2] == ["填写基本信息", "选择燃油供应商公司"]


async def test_online_items_are_the_catalog_items_marked_online(api):
    online = {i["item_code"] for i in (await api.get("/online-items")).json()}
    listed = {i["code"] for i in (await api.get("/catalog/items", params={"online": "true"})).json()["items"]}

    assert online == listed


async def test_fuel_report_examples_refer_to_existing_pick_list_entries(api):
    items = {i["item_code"]: i for i in (await api.get("/online-items")).json()}
    example = items["WF-002"]["example"]

    ports = {
        p["id"]
        for p in (
            await api.get("/reference/ports", params={"limit": 100, "q": example["bunkering_port"]})
        ).json()["items"]
    }
    assert example["bunkering_port"] in ports
    suppliers = (await api.get("/reference/fuel-suppliers", params={"q": example["supplier_id"]})).json()[
        "items"
    ]
    assert [s["id"] for s in suppliers] == [example["supplier_id"]]
    regulations = {
        r["id"] for r in (await api.get("/reference/regulation-items", params={"limit": 100})).json()["items"]
    }
    assert set(example["noncompliant_items"]) <= regulations
