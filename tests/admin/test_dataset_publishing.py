"""数据维护与发布: the system administrator edits a draft of the dataset's files, previews what
changed, publishes it as a new version (now or at a time to come) and compares any version with
the one before; users see a published version within seconds, and an application keeps the guide
it was submitted under."""

import asyncio
from datetime import datetime

from sqlalchemy import select

from app.agencies.models import Agency
from app.catalog.models import ServiceItem
from app.core.read_cache import ReadCache
from app.core.schemas import CHINA_TIME
from app.dataset import service as dataset
from app.dataset.models import DatasetVersion
from app.seed import prepare_dataset
from tests.support.applying import submitted_application
from tests.support.clock import FrozenClock
from tests.support.people import bearer, password_login

DRAFT = "/admin/dataset/draft"
VERSIONS = "/admin/dataset/versions"
# 外高桥海事局's new office: a 海事处 under a branch bureau, with its address and phone.
GAOQIAO = {
    "code": "SH-WGQ-GQ",
    "name": "高桥海事处",
    "short_name": "高桥",
    "level": "office",
    "parent": "SH-WGQ",
    "address": "上海市浦东新区高桥镇港城路1号",
    "phone": "021-58600000",
}
OLD_CONDITION = "涉及使用岸线的工程已完成可行性研究"
NEW_CONDITION = "涉及使用岸线的工程已完成可行性研究并取得批复"


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node["children"])


async def _put(api, admins, file: str, key: str, record: dict):
    return await api.put(f"{DRAFT}/files/{file}/records/{key}", json=record, headers=admins["sysadmin"])


async def _record(api, admins, file: str, key: str) -> dict:
    listed = await api.get(f"{DRAFT}/files/{file}", headers=admins["sysadmin"])
    assert listed.status_code == 200, listed.text
    field = listed.json()["key"]
    return next(record for record in listed.json()["records"] if record[field] == key)


async def _publish(api, admins, note: str = "发布", **body):
    return await api.post(f"{DRAFT}/publish", json={"note": note, **body}, headers=admins["sysadmin"])


async def _th002_with_new_condition(api, admins) -> dict:
    item = await _record(api, admins, "items", "TH-002")
    conditions = [NEW_CONDITION if c == OLD_CONDITION else c for c in item["guide"]["acceptance_conditions"]]
    return {**item, "guide": {**item["guide"], "acceptance_conditions": conditions}}


async def test_a_sysadmin_adds_an_office_previews_the_change_and_publishes_it(api, admins, reader, session):
    untouched = await api.get(DRAFT, headers=admins["sysadmin"])
    assert untouched.json()["base_version"] == untouched.json()["current_version"] == 1
    assert untouched.json()["changes"] == {"added": 0, "removed": 0, "changed": 0}

    added = await _put(api, admins, "agencies", GAOQIAO["code"], GAOQIAO)

    assert added.status_code == 200, added.text
    draft = (await api.get(DRAFT, headers=admins["sysadmin"])).json()
    assert draft["changes"] == {"added": 1, "removed": 0, "changed": 0}
    assert draft["updated_by"] == "demo-sysadmin"
    # The new office comes right after its parent's subtree: parents before children.
    tree = (await api.get(f"{DRAFT}/files/agencies", headers=admins["sysadmin"])).json()["records"]
    codes = [unit["code"] for unit in tree]
    assert codes[codes.index("SH-WGQ") + 1] == GAOQIAO["code"]
    diff = (await api.get(f"{DRAFT}/diff", headers=admins["sysadmin"])).json()
    assert diff["from_version"] == 1 and diff["to_version"] is None
    assert [(f["file"], f["label"]) for f in diff["files"]] == [("agencies", "海事机构")]
    assert diff["files"][0]["added"] == [{"key": "SH-WGQ-GQ", "title": "高桥海事处", "record": GAOQIAO}]

    published = await _publish(api, admins, "新增高桥海事处")

    assert published.status_code == 201, published.text
    version = published.json()
    assert (version["number"], version["state"], version["state_label"]) == (2, "published", "已发布")
    assert version["published_by"] == "demo-sysadmin" and version["published_at"]
    assert version["changes"] == {"added": 1, "removed": 0, "changed": 0}
    # In the tables the public reads (every worker's read cache: see the two-worker test below).
    office = await session.get(Agency, GAOQIAO["code"])
    assert (office.name, office.parent_code, office.address, office.phone) == (
        "高桥海事处", "SH-WGQ", "上海市浦东新区高桥镇港城路1号", "021-58600000"
    )
    # The draft is gone; the versions are kept, newest first, and each compares with the one before.
    assert (await api.get(DRAFT, headers=admins["sysadmin"])).json()["changes"]["added"] == 0
    listed = (await api.get(VERSIONS, headers=admins["sysadmin"])).json()["items"]
    assert [(v["number"], v["note"]) for v in listed] == [(2, "新增高桥海事处"), (1, "初始数据")]
    compared = (await api.get(f"{VERSIONS}/2/diff", headers=admins["sysadmin"])).json()
    assert (compared["from_version"], compared["to_version"]) == (1, 2)
    assert [r["key"] for r in compared["files"][0]["added"]] == [GAOQIAO["code"]]
    trail = (await api.get("/audit/events", params={"event": "dataset."}, headers=reader)).json()["items"]
    assert sorted((e["event"], e["outcome"], e["object_id"]) for e in trail) == [
        ("dataset.publish", "success", "2"),
        ("dataset.record_put", "success", "agencies/SH-WGQ-GQ"),
    ]


async def test_a_changed_guide_is_shown_field_by_field_before_and_after(api, admins):
    changed_item = await _th002_with_new_condition(api, admins)
    assert (await _put(api, admins, "items", "TH-002", changed_item)).status_code == 200

    (changed,) = (await api.get(f"{DRAFT}/diff", headers=admins["sysadmin"])).json()["files"][0]["changed"]

    assert (changed["key"], changed["title"]) == ("TH-002", "通航水域岸线安全使用许可")
    (field,) = changed["fields"]
    assert field["field"] == "guide.acceptance_conditions"
    assert OLD_CONDITION in field["before"] and NEW_CONDITION in field["after"]


async def test_an_edit_the_file_loaders_refuse_is_named_and_leaves_the_draft_unchanged(api, admins):
    dalian = {**await _record(api, admins, "ports", "CNDLC"), "region": "辽宁"}
    assert (await _put(api, admins, "ports", "CNDLC", dalian)).status_code == 200
    before = (await api.get(DRAFT, headers=admins["sysadmin"])).json()

    orphan = await _put(api, admins, "agencies", "SH-XX-1", {**GAOQIAO, "code": "SH-XX-1", "parent": "NOPE"})
    nameless = {k: v for k, v in GAOQIAO.items() if k != "name"} | {"code": "SH-XX-2"}
    unnamed = await _put(api, admins, "agencies", "SH-XX-2", nameless)
    other_key = await _put(api, admins, "agencies", "SH-XX-3", GAOQIAO)

    for refused in (orphan, unnamed, other_key):
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "dataset.invalid"
    assert "agencies.json" in orphan.json()["detail"] and "SH-XX-1" in orphan.json()["detail"]
    assert "缺少字段 name" in unnamed.json()["detail"]
    assert (await api.get(DRAFT, headers=admins["sysadmin"])).json() == before


async def test_units_are_closed_not_deleted_and_a_pick_list_entry_still_named_cannot_go(api, admins):
    agency = await api.delete(f"{DRAFT}/files/agencies/records/SH-WGQ", headers=admins["sysadmin"])
    port_in_use = await api.delete(f"{DRAFT}/files/ports/records/CNSHA", headers=admins["sysadmin"])
    unknown = await api.delete(f"{DRAFT}/files/ports/records/XXXXX", headers=admins["sysadmin"])
    rules = f"{DRAFT}/files/regulation_items"
    rule = (await api.get(rules, headers=admins["sysadmin"])).json()["records"][-1]
    removed = await api.delete(f"{rules}/records/{rule['id']}", headers=admins["sysadmin"])

    assert (agency.status_code, agency.json()["code"]) == (422, "dataset.agency_not_deletable")
    assert (port_in_use.status_code, port_in_use.json()["code"]) == (422, "dataset.invalid")
    assert "fuel_suppliers.json" in port_in_use.json()["detail"]
    assert (unknown.status_code, unknown.json()["code"]) == (404, "dataset.record_not_found")
    assert removed.status_code == 204
    (file,) = (await api.get(f"{DRAFT}/diff", headers=admins["sysadmin"])).json()["files"]
    assert [(r["key"], r["title"]) for r in file["removed"]] == [(rule["id"], rule["title"])]

    assert (await api.delete(DRAFT, headers=admins["sysadmin"])).status_code == 204
    assert (await api.get(f"{DRAFT}/diff", headers=admins["sysadmin"])).json()["files"] == []


async def test_nothing_to_publish_is_refused(api, admins):
    refused = await _publish(api, admins)

    assert (refused.status_code, refused.json()["code"]) == (422, "dataset.no_changes")


async def test_a_draft_made_before_another_change_was_published_is_stale(api, admins, session):
    assert (await _put(api, admins, "agencies", GAOQIAO["code"], GAOQIAO)).status_code == 200
    # Meanwhile a candidate unit is confirmed: the dataset moved on to a new version.
    confirmed = await api.post("/admin/agency-candidates/CJ-CQ-WZ/confirm", headers=admins["sysadmin"])
    assert confirmed.status_code == 200

    stale = await _publish(api, admins)

    assert (stale.status_code, stale.json()["code"]) == (409, "dataset.draft_stale")
    assert "版本 1" in stale.json()["detail"] and "版本 2" in stale.json()["detail"]
    assert await session.get(Agency, "CJ-CQ-WZ") is not None  # not undone by an old draft


async def test_a_later_start_keeps_the_published_versions(api, admins, session):
    assert (await _put(api, admins, "agencies", GAOQIAO["code"], GAOQIAO)).status_code == 200
    assert (await _publish(api, admins)).status_code == 201

    assert await dataset.seed(session, prepare_dataset()) is False  # the shipped files again

    assert await session.get(Agency, GAOQIAO["code"]) is not None
    numbers = list(await session.scalars(select(DatasetVersion.number)))
    assert sorted(numbers) == [1, 2]


async def test_a_version_scheduled_for_tomorrow_is_published_by_the_housekeeping_when_due(
    api, admins, session, monkeypatch, reader
):
    clock = FrozenClock(monkeypatch, "app.dataset.service.utcnow")
    clock.set(datetime(2026, 12, 7, 18, tzinfo=CHINA_TIME))
    assert (await _put(api, admins, "agencies", GAOQIAO["code"], GAOQIAO)).status_code == 200

    scheduled = await _publish(api, admins, "明日起设立高桥海事处", effective_at="2026-12-08T08:00:00+08:00")

    assert scheduled.status_code == 201, scheduled.text
    assert (scheduled.json()["state"], scheduled.json()["state_label"]) == ("scheduled", "待生效")
    assert scheduled.json()["effective_at"] == "2026-12-08T08:00:00+08:00"
    assert scheduled.json()["published_at"] is None
    assert await dataset.publish_due(session) == 0
    assert (await api.get(DRAFT, headers=admins["sysadmin"])).json()["current_version"] == 1
    assert await session.get(Agency, GAOQIAO["code"]) is None

    clock.set(datetime(2026, 12, 8, 8, 0, 1, tzinfo=CHINA_TIME))
    assert await dataset.publish_due(session) == 1

    shown = (await api.get(f"{VERSIONS}/2", headers=admins["sysadmin"])).json()
    assert (shown["state"], shown["published_at"]) == ("published", "2026-12-08T08:00:01+08:00")
    assert await session.get(Agency, GAOQIAO["code"]) is not None
    assert (await api.get(DRAFT, headers=admins["sysadmin"])).json()["current_version"] == 2
    trail = (await api.get("/audit/events", params={"event": "dataset."}, headers=reader)).json()["items"]
    assert sorted((e["event"], e["outcome"], e["object_id"]) for e in trail) == [
        ("dataset.publish", "scheduled", "2"),
        ("dataset.publish_scheduled", "success", "2"),
        ("dataset.record_put", "success", "agencies/SH-WGQ-GQ"),
    ]


async def test_a_scheduled_version_can_be_cancelled_and_then_never_takes_effect(
    api, admins, session, monkeypatch
):
    clock = FrozenClock(monkeypatch, "app.dataset.service.utcnow")
    clock.set(datetime(2026, 12, 7, 18, tzinfo=CHINA_TIME))
    assert (await _put(api, admins, "agencies", GAOQIAO["code"], GAOQIAO)).status_code == 200
    number = (await _publish(api, admins, effective_at="2026-12-08T08:00:00+08:00")).json()["number"]

    cancelled = await api.post(f"{VERSIONS}/{number}/cancel", headers=admins["sysadmin"])
    again = await api.post(f"{VERSIONS}/{number}/cancel", headers=admins["sysadmin"])
    clock.set(datetime(2026, 12, 9, tzinfo=CHINA_TIME))

    assert (cancelled.status_code, cancelled.json()["state"]) == (200, "cancelled")
    assert (again.status_code, again.json()["code"]) == (409, "dataset.version_not_scheduled")
    assert await dataset.publish_due(session) == 0
    assert await session.get(Agency, GAOQIAO["code"]) is None


async def test_an_application_keeps_the_guide_it_was_submitted_under(api, admins, corp, staff, session):
    before = await submitted_application(api, corp, "TH-002")
    unit = before["agency"]["code"]
    changed_item = await _th002_with_new_condition(api, admins)
    assert (await _put(api, admins, "items", "TH-002", changed_item)).status_code == 200
    moved = {**await _record(api, admins, "agencies", unit), "phone": "021-66660000"}
    assert (await _put(api, admins, "agencies", unit, moved)).status_code == 200
    assert (await _publish(api, admins, "修改受理条件和电话")).status_code == 201
    after = await submitted_application(api, corp, "TH-002")

    for viewer, path in ((corp, "/applications"), (staff, "/staff/applications")):
        old = (await api.get(f"{path}/{before['id']}/guide", headers=viewer)).json()
        new = (await api.get(f"{path}/{after['id']}/guide", headers=viewer)).json()
        assert (old["version"], new["version"]) == (1, 2)
        assert OLD_CONDITION in old["guide"]["acceptance_conditions"]
        assert NEW_CONDITION in new["guide"]["acceptance_conditions"]
        assert OLD_CONDITION not in new["guide"]["acceptance_conditions"]
        assert old["item_code"] == "TH-002" and old["agency"]["code"] == new["agency"]["code"] == unit
        assert old["agency"]["phone"] != "021-66660000" and new["agency"]["phone"] == "021-66660000"
    # The guide everyone reads now is the new one.
    item = await session.get(ServiceItem, "TH-002", populate_existing=True)
    assert NEW_CONDITION in item.guide["acceptance_conditions"]


async def test_a_publish_reaches_every_worker_within_seconds(two_workers):
    apps, (first, second) = two_workers
    for worker in apps:
        worker.state.read_cache = ReadCache(worker.state.sessionmaker, check_seconds=0)
    sysadmin = bearer(await password_login(first, "demo-sysadmin"))
    put = await first.put(f"{DRAFT}/files/agencies/records/{GAOQIAO['code']}", json=GAOQIAO, headers=sysadmin)
    assert put.status_code == 200, put.text
    for worker in (first, second):  # both keep the tree in memory; nobody sees a draft
        assert GAOQIAO["code"] not in {n["code"] for n in _walk((await worker.get("/agencies")).json())}
        assert (await worker.get(f"/agencies/{GAOQIAO['code']}")).status_code == 404

    assert (await first.post(f"{DRAFT}/publish", json={"note": "新增"}, headers=sysadmin)).status_code == 201

    for worker in (first, second):
        assert GAOQIAO["code"] in {n["code"] for n in _walk((await worker.get("/agencies")).json())}
        assert (await worker.get(f"/agencies/{GAOQIAO['code']}")).json()["phone"] == "021-58600000"


async def test_two_publishes_at_once_do_not_both_win(two_workers):
    _, (first, second) = two_workers
    sysadmin = bearer(await password_login(first, "demo-sysadmin"))
    put = await first.put(f"{DRAFT}/files/agencies/records/{GAOQIAO['code']}", json=GAOQIAO, headers=sysadmin)
    assert put.status_code == 200, put.text

    answers = await asyncio.gather(
        *(
            worker.post(f"{DRAFT}/publish", json={"note": "同时发布"}, headers=sysadmin)
            for worker in (first, second)
        )
    )

    assert sorted(a.status_code for a in answers) == [201, 422], [a.text for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 422} == {"dataset.no_changes"}
    versions = (await first.get(VERSIONS, headers=sysadmin)).json()["items"]
    assert [v["number"] for v in versions] == [2, 1]


async def test_only_the_system_administrator_keeps_the_dataset(api, admins, staff):
    for headers in (admins["secadmin"], admins["auditor"], staff):
        assert (await api.get(DRAFT, headers=headers)).status_code == 403
        refused = await _put(api, {"sysadmin": headers}, "agencies", GAOQIAO["code"], GAOQIAO)
        assert refused.status_code == 403



async def test_the_workers_housekeeping_publishes_a_due_version_and_every_worker_serves_it(
    two_workers, monkeypatch
):
    apps, (first, second) = two_workers
    for worker in apps:
        worker.state.read_cache = ReadCache(worker.state.sessionmaker, check_seconds=0)
    clock = FrozenClock(monkeypatch, "app.dataset.service.utcnow")
    clock.set(datetime(2026, 12, 7, 18, tzinfo=CHINA_TIME))
    sysadmin = bearer(await password_login(first, "demo-sysadmin"))
    put = await first.put(f"{DRAFT}/files/agencies/records/{GAOQIAO['code']}", json=GAOQIAO, headers=sysadmin)
    assert put.status_code == 200, put.text
    scheduled = await first.post(
        f"{DRAFT}/publish",
        json={"note": "明日生效", "effective_at": "2026-12-08T08:00:00+08:00"},
        headers=sysadmin,
    )
    assert scheduled.status_code == 201, scheduled.text
    def housekeeping(worker):
        return dataset.publish_when_due(worker.state.sessionmaker, worker.state.request_sessionmaker)

    assert await housekeeping(apps[0]) == 0  # not yet due: the job only looked
    clock.set(datetime(2026, 12, 8, 8, 0, 15, tzinfo=CHINA_TIME))
    assert await housekeeping(apps[1]) == 1  # the second worker's round came first
    assert await housekeeping(apps[0]) == 0

    for worker in (first, second):
        assert (await worker.get(f"/agencies/{GAOQIAO['code']}")).json()["name"] == "高桥海事处"


async def test_a_scheduled_version_overtaken_by_a_later_publish_is_cancelled_not_applied(
    api, admins, session, monkeypatch
):
    clock = FrozenClock(monkeypatch, "app.dataset.service.utcnow")
    clock.set(datetime(2026, 12, 7, 18, tzinfo=CHINA_TIME))
    assert (await _put(api, admins, "agencies", GAOQIAO["code"], GAOQIAO)).status_code == 200
    assert (await _publish(api, admins, effective_at="2026-12-08T08:00:00+08:00")).json()["number"] == 2
    dalian = {**await _record(api, admins, "ports", "CNDLC"), "region": "辽宁"}
    assert (await _put(api, admins, "ports", "CNDLC", dalian)).status_code == 200
    assert (await _publish(api, admins, "大连港所属地区")).json()["number"] == 3  # now, on version 1

    clock.set(datetime(2026, 12, 8, 9, tzinfo=CHINA_TIME))
    assert await dataset.publish_due(session) == 0

    overtaken = (await api.get(f"{VERSIONS}/2", headers=admins["sysadmin"])).json()
    assert overtaken["state"] == "cancelled"
    assert await session.get(Agency, GAOQIAO["code"]) is None
