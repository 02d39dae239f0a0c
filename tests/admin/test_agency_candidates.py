"""待确认的海事机构: units public sources name with low confidence wait for the system
administrator, invisible to everyone else; confirmed, a unit is public at once; dismissed, it
stays stored and is never shown or offered again."""

from app.accounts.service import create_operator_account
from app.core.auth import Role
from app.core.read_cache import ReadCache
from app.seed import load_seed_data
from tests.support.applying import filled_draft, submit_draft
from tests.support.people import bearer, password_login

WANZHOU = "CJ-CQ-WZ"  # 重庆万州海事处, named by one source only
CANDIDATES = "/admin/agency-candidates"


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node["children"])


async def _tree_codes(api) -> set[str]:
    return {node["code"] for node in _walk((await api.get("/agencies")).json())}


async def _candidates(api, admins, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page = await api.get(
            CANDIDATES,
            params={**params, "limit": 10} | ({"cursor": cursor} if cursor else {}),
            headers=admins["sysadmin"],
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


async def test_a_candidate_is_nowhere_for_the_public(api, admins, corp):
    assert WANZHOU not in await _tree_codes(api)
    assert (await api.get("/agencies", params={"q": "万州"})).json() == []
    assert (await api.get(f"/agencies/{WANZHOU}")).status_code == 404
    assert (await api.get("/catalog/items", params={"agency": WANZHOU})).json()["code"] == "agency.not_found"

    draft = await filled_draft(api, corp, "TH-002")
    refused = await api.post("/applications", json={**draft, "agency_code": WANZHOU}, headers=corp)
    assert refused.status_code == 422
    assert [e["type"] for e in refused.json()["errors"]] == ["unknown_agency"]

    staff = await api.post(
        "/admin/security/accounts",
        json={"role": "staff", "username": "wanzhou-staff", "name": "万州受理员", "agency_code": WANZHOU},
        headers=admins["secadmin"],
    )
    assert staff.status_code == 422
    assert [e["loc"] for e in staff.json()["errors"]] == [["body", "agency_code"]]


async def test_the_system_administrator_sees_each_candidate_with_its_sources_and_proposed_parent(api, admins):
    candidates = await _candidates(api, admins)

    assert len(candidates) == len({c["code"] for c in candidates}) == 33
    wanzhou = next(c for c in candidates if c["code"] == WANZHOU)
    assert wanzhou["name"] == "重庆万州海事处"
    assert wanzhou["level"] == {"code": "office", "label": "海事处"}
    assert wanzhou["parent"] == {"code": "CJ-CQ", "name": "重庆海事局", "confirmed": True}
    assert wanzhou["sources"] and wanzhou["confidence"]["code"] == "low"
    assert wanzhou["status"] == {"code": "pending", "label": "待确认"}
    assert wanzhou["decided_at"] is None
    # 张家港港区海事处 is proposed under 张家港海事局, itself a candidate.
    harbour = next(c for c in candidates if c["code"] == "JS-ZJG-GQ")
    assert harbour["parent"] == {"code": "JS-ZJG", "name": "张家港海事局", "confirmed": False}
    for role in ("secadmin", "auditor"):
        assert (await api.get(CANDIDATES, headers=admins[role])).status_code == 403


async def test_a_sysadmin_confirms_a_candidate_office_and_users_can_pick_it(
    api, admins, corp, session, reader
):
    versions = (await api.get("/admin/system/status", headers=admins["sysadmin"])).json()[
        "read_cache_versions"
    ]

    confirmed = await api.post(
        f"{CANDIDATES}/{WANZHOU}/confirm",
        json={"address": "重庆市万州区沿江大道1号", "phone": "023-58000000"},
        headers=admins["sysadmin"],
    )

    assert confirmed.status_code == 200, confirmed.text
    office = confirmed.json()
    assert office["name"] == "重庆万州海事处" and office["level"] == "office"
    assert [a["code"] for a in office["ancestors"]] == ["CN", "CJ", "CJ-CQ"]
    assert office["address"] == "重庆市万州区沿江大道1号" and office["phone"] == "023-58000000"
    assert office["sources"] and office["confidence"]["code"] == "low"
    # Every worker is told to read the agencies again (the public side: see the test below).
    after = (await api.get("/admin/system/status", headers=admins["sysadmin"])).json()["read_cache_versions"]
    assert after["agencies"] == versions.get("agencies", 0) + 1

    # The company applies to it, and the office's own staff find the application in their queue.
    submitted = await submit_draft(
        api, corp, {**await filled_draft(api, corp, "TH-002"), "agency_code": WANZHOU}
    )
    assert submitted.status_code == 200, submitted.text
    await create_operator_account(
        session,
        role=Role.staff,
        username="staff-wz",
        name="万州受理员",
        password="Reviewer#2026",
        agency_code=WANZHOU,
    )
    wanzhou_staff = bearer(await password_login(api, "staff-wz", "Reviewer#2026"))
    queue = (await api.get("/staff/applications", headers=wanzhou_staff)).json()["items"]
    assert submitted.json()["id"] in [item["id"] for item in queue]

    listed = next(c for c in await _candidates(api, admins, status="confirmed") if c["code"] == WANZHOU)
    assert listed["status"]["code"] == "confirmed" and listed["decided_by"]
    assert WANZHOU not in [c["code"] for c in await _candidates(api, admins, status="pending")]
    trail = (
        await api.get("/audit/events", params={"event": "admin.agency_candidate_confirm"}, headers=reader)
    ).json()
    assert [(e["object_type"], e["object_id"], e["outcome"]) for e in trail["items"]] == [
        ("agency_candidate", WANZHOU, "success")
    ]


async def test_a_confirmed_office_reaches_every_worker_at_once(two_workers):
    apps, (first, second) = two_workers
    for worker in apps:
        worker.state.read_cache = ReadCache(worker.state.sessionmaker, check_seconds=0)
    for worker in (first, second):  # both keep the tree, the search and the catalog in memory
        assert WANZHOU not in await _tree_codes(worker)
        assert (await worker.get("/agencies", params={"q": "万州"})).json() == []
        assert (await worker.get("/catalog/items", params={"agency": WANZHOU})).status_code == 404
    sysadmin = bearer(await password_login(first, "demo-sysadmin"))

    assert (await first.post(f"{CANDIDATES}/{WANZHOU}/confirm", headers=sysadmin)).status_code == 200

    for worker in (first, second):
        assert WANZHOU in await _tree_codes(worker)
        assert [m["code"] for m in (await worker.get("/agencies", params={"q": "万州"})).json()] == [WANZHOU]
        assert (await worker.get(f"/agencies/{WANZHOU}")).json()["ancestors"][-1]["code"] == "CJ-CQ"
        assert (await worker.get("/catalog/items", params={"agency": WANZHOU})).status_code == 200


async def test_a_candidate_under_a_candidate_waits_for_its_parent_or_gets_another(api, admins):
    waiting = await api.post(f"{CANDIDATES}/JS-ZJG-GQ/confirm", headers=admins["sysadmin"])
    assert waiting.status_code == 422
    assert [(e["loc"], e["type"]) for e in waiting.json()["errors"]] == [
        (["body", "parent_code"], "parent_unconfirmed")
    ]

    assert (await api.post(f"{CANDIDATES}/JS-ZJG/confirm", headers=admins["sysadmin"])).status_code == 200
    harbour = await api.post(f"{CANDIDATES}/JS-ZJG-GQ/confirm", headers=admins["sysadmin"])
    assert harbour.status_code == 200
    assert [a["code"] for a in harbour.json()["ancestors"]] == ["CN", "JS", "JS-ZJG"]

    # 常熟海事处: its branch bureau is unknown; the administrator names it while confirming.
    moved = await api.post(
        f"{CANDIDATES}/JS-CS/confirm",
        json={"parent_code": "JS-ZJG", "name": "常熟海事处"},
        headers=admins["sysadmin"],
    )
    assert moved.status_code == 200
    assert moved.json()["parent_code"] == "JS-ZJG"


async def test_a_confirmation_keeps_the_tree_in_order(api, admins):
    below_an_office = await api.post(
        f"{CANDIDATES}/HN-QL/confirm", json={"parent_code": "HE-QHD-DG"}, headers=admins["sysadmin"]
    )
    unknown_parent = await api.post(
        f"{CANDIDATES}/HN-QL/confirm", json={"parent_code": "XX"}, headers=admins["sysadmin"]
    )
    same_name = await api.post(
        f"{CANDIDATES}/HN-QL/confirm", json={"name": "上海海事局"}, headers=admins["sysadmin"]
    )

    assert [e["type"] for e in below_an_office.json()["errors"]] == ["parent_level"]
    assert [e["type"] for e in unknown_parent.json()["errors"]] == ["unknown_agency"]
    assert same_name.status_code == 409 and same_name.json()["code"] == "admin.agency_name_taken"
    assert (await api.post(f"{CANDIDATES}/NOPE/confirm", headers=admins["sysadmin"])).json()["code"] == (
        "admin.agency_candidate_not_found"
    )


async def test_a_dismissed_candidate_stays_stored_and_is_never_offered_again(api, admins, session, reader):
    dismissed = await api.post(f"{CANDIDATES}/CJ-CQ-WS/dismiss", headers=admins["sysadmin"])

    assert dismissed.status_code == 200
    assert dismissed.json()["status"] == {"code": "dismissed", "label": "已驳回"}
    again = await api.post(f"{CANDIDATES}/CJ-CQ-WS/confirm", headers=admins["sysadmin"])
    assert again.status_code == 409 and again.json()["code"] == "admin.agency_candidate_decided"
    await load_seed_data(session)  # the files loaded again (an import, a start with DATASET_DIR)
    await session.flush()
    assert "CJ-CQ-WS" not in [c["code"] for c in await _candidates(api, admins, status="pending")]
    assert [c["code"] for c in await _candidates(api, admins, status="dismissed")] == ["CJ-CQ-WS"]
    assert "CJ-CQ-WS" not in await _tree_codes(api)
    trail = (
        await api.get("/audit/events", params={"event": "admin.agency_candidate_dismiss"}, headers=reader)
    ).json()
    assert [e["object_id"] for e in trail["items"]] == ["CJ-CQ-WS"]
