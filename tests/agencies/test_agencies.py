"""选择海事机构: the agency tree, drill-down and search."""

from collections import Counter

from app.core.seeding import read_seed


def _walk(nodes, depth=0):
    for node in nodes:
        yield node, depth
        yield from _walk(node["children"], depth + 1)


async def test_the_tree_starts_at_the_ministry_bureau_and_has_five_levels(api):
    response = await api.get("/agencies")

    assert response.status_code == 200
    roots = response.json()
    assert [root["code"] for root in roots] == ["CN"]
    assert "交通运输部海事局" in roots[0]["name"]
    levels = Counter(node["level"] for node, _ in _walk(roots))
    assert levels["direct_bureau"] >= 14
    assert set(levels) == {"ministry_bureau", "direct_bureau", "local_bureau", "branch_bureau", "office"}
    direct = {node["name"] for node in roots[0]["children"]}
    assert {"上海海事局", "长江海事局", "天津海事局"} <= direct
    # The provinces' own maritime bureaus are listed beside the 直属局, as msa.gov.cn lists them.
    assert {"江苏省地方海事局", "江西省地方海事局"} <= direct


async def test_every_node_sits_one_level_below_its_parent(api):
    rank = {"ministry_bureau": 0, "direct_bureau": 1, "local_bureau": 1, "branch_bureau": 2, "office": 3}
    for node, depth in _walk((await api.get("/agencies")).json()):
        assert rank[node["level"]] >= depth
        assert node["level_label"] in {"部海事局", "直属海事局", "地方海事局", "分支海事局", "海事处"}
        assert node["has_children"] == bool(node["children"])
        for child in node["children"]:
            assert child["parent_code"] == node["code"]
            assert rank[child["level"]] > rank[node["level"]]


async def test_a_user_drills_down_from_a_bureau_to_its_branches(api):
    response = await api.get("/agencies/SH")

    assert response.status_code == 200
    shanghai = response.json()
    assert shanghai["name"] == "上海海事局"
    assert [a["code"] for a in shanghai["ancestors"]] == ["CN"]
    assert shanghai["children"] and all(c["parent_code"] == "SH" for c in shanghai["children"])
    branch = shanghai["children"][0]["code"]
    deeper = (await api.get(f"/agencies/{branch}")).json()
    assert [a["code"] for a in deeper["ancestors"]] == ["CN", "SH"]


async def test_an_office_shows_its_whole_breadcrumb(api):
    tree = (await api.get("/agencies")).json()
    office = next(node for node, _ in _walk(tree) if node["level"] == "office")

    detail = (await api.get(f"/agencies/{office['code']}")).json()

    assert len(detail["ancestors"]) >= 2
    assert detail["ancestors"][0]["code"] == "CN"
    assert detail["ancestors"][-1]["code"] == office["parent_code"]
    assert detail["children"] == []


async def test_searching_by_name_returns_matches_with_their_ancestors(api):
    response = await api.get("/agencies", params={"q": "吴淞"})

    assert response.status_code == 200
    matches = response.json()
    assert matches and all("吴淞" in m["name"] or "吴淞" in m["short_name"] for m in matches)
    assert [a["code"] for a in matches[0]["ancestors"]][:2] == ["CN", "SH"]


async def test_a_search_with_no_match_is_an_empty_list(api):
    response = await api.get("/agencies", params={"q": "不存在的机构"})

    assert response.status_code == 200
    assert response.json() == []


async def test_an_unknown_agency_is_a_problem_404(api):
    response = await api.get("/agencies/NOPE")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "agency.not_found"
    assert response.json()["title"] == "未找到该海事机构"


async def test_the_tree_is_cacheable_and_revalidates_with_its_etag(api):
    first = await api.get("/agencies")
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]

    again = await api.get("/agencies", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    changed = await api.get("/agencies", headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200


async def test_a_unit_found_in_public_sources_names_them_and_how_sure_they_are(api):
    shekou = (await api.get("/agencies/SZ-SK")).json()  # 蛇口海事局, on an official page
    wusong = (await api.get("/agencies/SH-WS")).json()  # in the original directory, now with a source
    ministry = (await api.get("/agencies/CN")).json()

    assert shekou["name"] == "蛇口海事局" and [a["code"] for a in shekou["ancestors"]] == ["CN", "SZ"]
    assert shekou["sources"] and shekou["confidence"]["code"] == "high"
    assert wusong["sources"] and wusong["confidence"]["code"] == "medium"
    assert ministry["sources"] == [] and ministry["confidence"] is None


async def test_the_offices_of_harbin_are_there_to_pick(api):
    harbin = (await api.get("/agencies/HL-HEB")).json()

    assert {child["name"] for child in harbin["children"]} >= {"依兰海事处", "通河海事处", "哈尔滨太平海事处"}
    assert {child["level"] for child in harbin["children"]} == {"office"}


def test_no_low_confidence_unit_ships_in_the_tree():
    tree = read_seed("app.agencies", "agencies.json")
    candidates = read_seed("app.agencies", "agency_candidates.json")
    original = [node for node in tree if node.get("confidence") is None]

    assert {node.get("confidence") for node in tree} - {None} == {"high", "medium", "low"}
    # The one low unit of the tree (黄浦) was in the original directory; the sources only add to it.
    assert [node["code"] for node in tree if node.get("confidence") == "low"] == ["SH-HP"]
    assert len(original) == 66 and len(tree) == 106 and len(candidates) == 33
    assert not {c["code"] for c in candidates} & {node["code"] for node in tree}
    assert not {c["name"] for c in candidates} & {node["name"] for node in tree}
    assert {c["confidence"] for c in candidates} == {"low"}
