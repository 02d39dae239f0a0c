"""事项查询, 政务服务 and 办事指南 (manual §3.1.3)."""

import pytest

from app.catalog.schemas import ServiceGuide
from app.core.seeding import read_seed
from tests.support.applying import ONLINE_ITEMS

GUIDE_FIELDS = set(ServiceGuide.model_fields)


async def _all_items(api, **params):
    items, cursor = [], None
    while True:
        query = {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/catalog/items", params=query)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_the_catalog_offers_at_least_65_items_each_with_a_complete_guide(api):
    items = await _all_items(api)

    assert len(items) >= 65
    assert len({item["code"] for item in items}) == len(items)
    for item in items:
        guide = (await api.get(f"/catalog/items/{item['code']}")).json()["guide"]
        assert set(guide) == GUIDE_FIELDS
        empty = [k for k, v in guide.items() if k != "sub_items" and v in ("", [], None)]
        assert not empty, f"{item['name']}: empty {empty}"
        for material in guide["materials"]:
            assert material["name"] and material["copies"] >= 0


@pytest.mark.parametrize("query", ["船员", "chuanyuan", "cy", "CHUAN YUAN", "chuan'yuan"])
async def test_a_user_finds_crew_items_by_chinese_pinyin_or_initials(api, query):
    response = await api.get("/catalog/items", params={"q": query, "limit": 100})

    assert response.status_code == 200
    names = [item["name"] for item in response.json()["items"]]
    assert any("船员" in name for name in names), names


@pytest.mark.parametrize("query", ["船舶登记", "chuanbo登记", "船舶dj", "cbdengji", "chuanbodj", "cb登记"])
async def test_a_user_finds_ship_registration_however_they_mix_chinese_pinyin_and_initials(api, query):
    response = await api.get("/catalog/items", params={"q": query, "limit": 100})

    assert response.status_code == 200
    codes = {item["code"] for item in response.json()["items"]}
    assert {"CB-004", "QT-003"} <= codes, codes  # 船舶所有权登记 (alias 船舶登记), 船舶登记信息查询…


async def test_a_mixed_query_matches_the_whole_of_it_not_a_part(api):
    response = await api.get("/catalog/items", params={"q": "chuanbo登记zzq", "limit": 100})

    assert response.json()["items"] == []


async def test_initials_of_a_whole_name_find_that_item(api):
    names = [i["name"] for i in (await api.get("/catalog/items", params={"q": "cyzc"})).json()["items"]]

    assert any(name.startswith("船员注册") for name in names), names


async def test_a_search_with_no_match_returns_an_empty_page(api):
    response = await api.get("/catalog/items", params={"q": "zzzzqqq"})

    assert response.json() == {"items": [], "next_cursor": None}


async def test_facets_count_the_four_ways_to_browse(api):
    response = await api.get("/catalog/facets")

    assert response.status_code == 200
    facets = response.json()
    items = await _all_items(api)
    assert facets["total"] == len(items)
    assert [b["label"] for b in facets["business"]] == [
        "通航管理",
        "船舶管理",
        "船员管理",
        "危防管理",
        "航运管理",
        "船检管理",
        "航标管理",
        "其他",
    ]
    assert [n["label"] for n in facets["nature"]] == ["行政许可", "行政确认", "行政备案", "其他行政权力"]
    assert [a["label"] for a in facets["audience"]] == ["个人办事", "法人办事"]
    assert sum(b["count"] for b in facets["business"]) == len(items)
    assert sum(n["count"] for n in facets["nature"]) == len(items)
    assert all(b["count"] > 0 for b in facets["business"])
    assert facets["online"]["count"] == len(ONLINE_ITEMS)
    for business in facets["business"]:
        filtered = await _all_items(api, business=business["code"])
        assert len(filtered) == business["count"]
        assert {i["business"]["code"] for i in filtered} <= {business["code"]}


async def test_personal_and_corporate_browsing_filter_by_audience(api):
    facets = (await api.get("/catalog/facets")).json()

    for audience in facets["audience"]:
        items = await _all_items(api, audience=audience["code"])
        assert len(items) == audience["count"] > 0
        assert all(audience["code"] in [a["code"] for a in i["audience"]] for i in items)


async def test_filters_combine(api):
    items = await _all_items(api, business="crew", nature="licensing", audience="personal")

    assert items
    for item in items:
        assert item["business"]["code"] == "crew"
        assert item["nature"]["code"] == "licensing"


async def test_online_filter_lists_the_online_items(api):
    items = await _all_items(api, online="true")

    assert sorted(i["code"] for i in items) == sorted(ONLINE_ITEMS)


async def test_an_agency_sees_what_its_level_handles_and_facets_narrow_with_it(api):
    everything = await _all_items(api)
    for code in ("CN", "SH", "SH-WS"):
        level = (await api.get(f"/agencies/{code}")).json()["level"]
        handled = await _all_items(api, agency=code)
        assert 0 < len(handled) < len(everything)
        assert sorted(i["code"] for i in handled) == sorted(
            i["code"] for i in read_seed("app.catalog", "items.json") if level in i["handling_levels"]
        )
        facets = (await api.get("/catalog/facets", params={"agency": code})).json()
        assert facets["total"] == len(handled)
        for item in handled[:10]:
            detail = (await api.get(f"/catalog/items/{item['code']}")).json()
            assert level in [lvl["code"] for lvl in detail["handling_levels"]]


async def test_an_unknown_agency_filter_is_a_404(api):
    response = await api.get("/catalog/items", params={"agency": "NOPE"})

    assert response.status_code == 404
    assert response.json()["code"] == "agency.not_found"


async def test_pages_follow_the_cursor_without_gaps_or_repeats(api):
    everything = [i["code"] for i in await _all_items(api)]
    seen, cursor = [], None
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/catalog/items", params=params)).json()
        assert len(page["items"]) <= 7
        seen += [i["code"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == everything


@pytest.mark.parametrize("cursor", ["Z2FyYmFnZQ", "bm90LWpzb24", "WyJhIl0", "WzEsMl0", "dHJ1ZQ"])
async def test_a_tampered_cursor_is_a_422(api, cursor):
    response = await api.get("/catalog/items", params={"cursor": cursor})

    assert response.status_code == 422
    assert response.json()["code"] == "pagination.invalid_cursor"


@pytest.mark.parametrize("limit", [0, 101, "x"])
async def test_limit_outside_1_to_100_is_a_422(api, limit):
    response = await api.get("/catalog/items", params={"limit": limit})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]


async def test_the_guide_of_an_online_item_says_it_can_be_handled_online(api):
    response = await api.get("/catalog/items/TH-001")

    assert response.status_code == 200
    item = response.json()
    assert item["name"] == "沿海水域划定禁航区和安全作业区审批"
    assert item["online"] is True
    assert item["nature"] == {"code": "licensing", "label": "行政许可"}
    assert item["guide"]["item_name"] == item["name"]
    assert item["handling_levels"]


async def test_an_unknown_item_is_a_problem_404_in_chinese(api):
    response = await api.get("/catalog/items/XX-999")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "catalog.item_not_found"
    assert body["title"] == "未找到该事项"
    assert body["status"] == 404
    assert body["request_id"] == response.headers["x-request-id"]


async def test_an_unknown_filter_value_names_the_field_in_chinese(api):
    response = await api.get("/catalog/items", params={"business": "fishing"})

    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["loc"] == ["query", "business"]
    assert error["msg"].startswith("取值必须是以下之一")


async def test_guides_revalidate_with_etags(api):
    first = await api.get("/catalog/items/TH-001")

    again = await api.get("/catalog/items/TH-001", headers={"If-None-Match": first.headers["etag"]})

    assert again.status_code == 304


async def test_aliases_are_searchable_by_their_initials_too(api):
    names = [i["name"] for i in (await api.get("/catalog/items", params={"q": "cydj"})).json()["items"]]

    assert "船员注册（船员服务簿签发）" in names
