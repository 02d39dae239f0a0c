"""What the public sees of the authority's upkeep: the units that handle an item in the agency
picker, the guide filled in with the chosen unit's 受理地点, 办理时间, 咨询电话 and 收费, and closed
units gone from every choice while old applications still resolve them."""

from datetime import timedelta

import pytest

from app.agencies import closing
from app.catalog.local_details import localize
from app.core import read_cache
from app.core.db import in_transaction
from app.core.read_cache import ReadCache
from app.seed import load_seed_data
from tests.agencies.test_upkeep_keys import SHIJIU, added, both, dataset_with, edited
from tests.support.applying import filled_draft, submit_draft

GUIDE = {
    "location_and_hours": "以所选受理海事机构政务中心公布的地址和办公时间为准",
    "consult_phone": "以所选受理海事机构政务中心公布的咨询电话为准",
    "fee": "不收费",
    "item_name": "通航水域岸线安全使用许可",
}


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node["children"])


async def _offered(client, path: str) -> set[str]:
    """The codes of every unit of the tree ``path`` answers."""
    return {node["code"] for node in _walk((await client.get(path)).json())}


@pytest.fixture
async def public(two_workers):
    """A worker on a database of its own, and ``publish(change)``: the shipped dataset with
    ``change`` applied to agencies.json, loaded as publishing loads it."""
    apps, (client, _) = two_workers
    worker = apps[0]
    worker.state.read_cache = ReadCache(worker.state.sessionmaker, check_seconds=0)

    async def publish(change):
        dataset = dataset_with(change)
        await in_transaction(
            worker.state.sessionmaker, lambda session: load_seed_data(session, dataset, replace=True)
        )

    return client, publish


# localize: the one rule for the live guide and a guide as a version held it.


def test_the_chosen_units_own_address_phone_and_hours_replace_the_guides_placeholders():
    office = {"code": "O", "address": "石臼路1号", "phone": "0633-1", "office_hours": "工作日 9:00-17:00"}

    guide = localize(GUIDE, "TH-002", [office, {"code": "B", "address": "分局路2号", "phone": "0633-2"}])

    assert guide["location_and_hours"] == "受理地点：石臼路1号；办理时间：工作日 9:00-17:00"
    assert guide["consult_phone"] == "0633-1"
    assert guide["fee"] == "不收费"  # a unit's own fields say nothing of fees
    assert GUIDE["consult_phone"].startswith("以所选")  # the guide handed in is left as it was


def test_an_items_local_details_come_first_even_from_a_unit_above_then_the_nearest_own_fields():
    office = {"code": "O", "address": "石臼路1号", "item_details": {"TH-002": {"hours": "周二、周四上午"}}}
    branch = {
        "code": "B",
        "phone": "0633-2",
        "office_hours": "工作日",
        "item_details": {"TH-002": {"place": "日照政务中心3号窗口", "fee": "工本费10元"}, "TH-001": {"phone": "x"}},
    }

    guide = localize(GUIDE, "TH-002", [office, branch, {"code": "CN", "phone": "010-1"}])

    assert guide["location_and_hours"] == "受理地点：日照政务中心3号窗口；办理时间：周二、周四上午"
    assert guide["consult_phone"] == "0633-2"  # the branch's own phone: the nearest that has one
    assert guide["fee"] == "工本费10元"


def test_the_ministry_bureaus_own_address_and_phone_are_never_a_bureaus_local_details():
    """天津海事局 without an address of its own: its applicants are not sent to the 部海事局 in Beijing
    (an item detail the 部海事局 gives for every unit still counts)."""
    ministry = {"code": "CN", "level": "ministry_bureau", "address": "北京市东城区建国门内大街11号", "phone": "010-1"}
    bureau = {"code": "TJ", "level": "direct_bureau"}

    assert localize(GUIDE, "TH-002", [bureau, ministry]) == GUIDE
    with_fee = {**ministry, "item_details": {"TH-002": {"fee": "不收费（全国统一）"}}}
    assert localize(GUIDE, "TH-002", [bureau, with_fee])["fee"] == "不收费（全国统一）"


def test_units_that_say_nothing_leave_the_guides_own_text():
    silent = [{"code": "O"}, {"code": "B", "item_details": {"TH-001": {"fee": "1元"}}}]
    assert localize(GUIDE, "TH-002", silent) == GUIDE


# The live API.


async def test_a_new_office_with_one_item_is_offered_for_it_and_its_guide_shows_its_address_and_phone(public):
    client, publish = public
    await publish(added({**SHIJIU, "items": ["TH-002"]}))

    picker = (await client.get("/catalog/items/TH-002/agencies")).json()
    offered = {node["code"]: node for node in _walk(picker)}
    assert offered["SD-RZ-SJ"]["handles_item"] is True
    assert offered["SD-RZ-SJ"]["office_hours"] == "工作日 8:30-12:00，13:30-17:00"
    assert offered["CN"]["handles_item"] is False  # there to reach it: the item's levels exclude it
    assert offered["SD-RZ"]["handles_item"] is True and offered["SD-RZ"]["has_children"]
    # An item the office does not list: not offered there, though its level handles it.
    assert "SD-RZ-SJ" not in await _offered(client, "/catalog/items/TH-001/agencies")

    guide = (await client.get("/catalog/items/TH-002", params={"agency": "SD-RZ-SJ"})).json()
    assert guide["guide"]["location_and_hours"] == "受理地点：日照市东港区海滨二路1号；办理时间：工作日 9:00-11:30"
    assert guide["guide"]["consult_phone"] == "0633-8000000"
    local = guide["local_details"]
    assert local["agency"]["name"] == "日照石臼海事处"
    assert local["place"] == {"value": "日照市东港区海滨二路1号", "agency": local["agency"]}
    assert local["hours"]["value"] == "工作日 9:00-11:30"
    assert local["fee"]["value"] == "不收费"
    # Without an agency the guide is the item's own, and the catalog filter lists the one item.
    assert (await client.get("/catalog/items/TH-002")).json()["local_details"] is None
    listed = (await client.get("/catalog/items", params={"agency": "SD-RZ-SJ"})).json()["items"]
    assert [item["code"] for item in listed] == ["TH-002"]


async def test_the_guide_for_a_unit_that_does_not_handle_the_item_is_refused(public):
    client, publish = public
    await publish(added({**SHIJIU, "items": ["TH-002"]}))

    refused = await client.get("/catalog/items/TH-001", params={"agency": "SD-RZ-SJ"})
    assert refused.status_code == 422
    assert refused.json()["code"] == "catalog.agency_not_handling"
    assert refused.json()["detail"] == "日照石臼海事处不受理“沿海水域划定禁航区和安全作业区审批”，请选择受理该事项的海事机构"
    unknown = await client.get("/catalog/items/TH-002", params={"agency": "NOPE"})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "agency.not_found")


async def test_a_closed_office_leaves_every_choice_but_still_answers_by_its_code(public):
    client, publish = public
    today = closing.today().isoformat()
    await publish(edited("SD-RZ-LS", closed_on=today))

    assert "SD-RZ-LS" not in {node["code"] for node in _walk((await client.get("/agencies")).json())}
    assert (await client.get("/agencies", params={"q": "岚山"})).json() == []
    children = (await client.get("/agencies/SD-RZ")).json()["children"]
    assert "SD-RZ-LS" not in [child["code"] for child in children]
    assert "SD-RZ-LS" not in await _offered(client, "/catalog/items/TH-002/agencies")
    filtered = await client.get("/catalog/items", params={"agency": "SD-RZ-LS"})
    assert (filtered.status_code, filtered.json()["code"]) == (404, "agency.closed")
    assert filtered.json()["detail"] == f"日照岚山海事处已于 {today} 撤销，请选择其他海事机构"
    assert (await client.get("/catalog/items/TH-002", params={"agency": "SD-RZ-LS"})).status_code == 404

    closed = await client.get("/agencies/SD-RZ-LS")
    assert closed.status_code == 200
    assert closed.json()["closed_on"] == today and closed.json()["name"] == "日照岚山海事处"


async def test_an_office_closing_tomorrow_is_offered_until_midnight_and_gone_after_it(public, monkeypatch):
    client, publish = public
    tomorrow = closing.today() + timedelta(days=1)
    await publish(edited("SD-RZ-LS", closed_on=tomorrow.isoformat()))

    before = (await client.get("/agencies")).json()
    assert "SD-RZ-LS" in {node["code"] for node in _walk(before)}
    assert (await client.get("/catalog/items", params={"agency": "SD-RZ-LS"})).status_code == 200

    # Midnight passes in China: nothing is published, yet the kept answers are not served again.
    later = read_cache.wall_clock() + 86400
    monkeypatch.setattr(read_cache, "wall_clock", lambda: later)
    monkeypatch.setattr(closing, "today", lambda: tomorrow)

    assert "SD-RZ-LS" not in {node["code"] for node in _walk((await client.get("/agencies")).json())}
    assert (await client.get("/catalog/items", params={"agency": "SD-RZ-LS"})).status_code == 404


async def test_an_application_to_a_closed_unit_or_one_not_handling_the_item_is_refused(api, corp, session):
    today = closing.today().isoformat()
    dataset = dataset_with(both(added({**SHIJIU, "items": ["TH-001"]}), edited("SD-RZ-LS", closed_on=today)))
    await load_seed_data(session, dataset, replace=True)
    draft = await filled_draft(api, corp, "TH-002")

    closed = await submit_draft(api, corp, {**draft, "agency_code": "SD-RZ-LS"})
    assert closed.status_code == 422
    assert [(e["loc"], e["type"], e["msg"]) for e in closed.json()["errors"]] == [
        (["body", "agency_code"], "agency_closed", f"日照岚山海事处已于 {today} 撤销，请重新选择受理机构")
    ]
    not_listed = await submit_draft(api, corp, {**draft, "agency_code": "SD-RZ-SJ"})
    assert [e["type"] for e in not_listed.json()["errors"]] == ["agency_not_handling"]

    listed_item = await filled_draft(api, corp, "TH-001")
    listed = await submit_draft(api, corp, {**listed_item, "agency_code": "SD-RZ-SJ"})
    assert listed.status_code == 200, listed.text
