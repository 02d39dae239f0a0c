"""Pick lists of the fuel-report forms: ports, countries, fuel suppliers, regulation items."""

import pytest


async def _all(api, path, **params):
    rows, cursor = [], None
    while True:
        page = (
            await api.get(path, params={**params, "limit": 100, **({"cursor": cursor} if cursor else {})})
        ).json()
        rows += page["items"]
        if not (cursor := page["next_cursor"]):
            return rows


async def test_every_iso_country_is_listed_with_its_chinese_name(api):
    countries = {c["id"]: c for c in await _all(api, "/reference/countries")}

    assert len(countries) >= 249
    assert countries["CN"]["name_zh"] == "中国"
    assert countries["SG"]["alpha3"] == "SGP"
    assert countries["HK"]["name_zh"] == "中国香港"


@pytest.mark.parametrize("query", ["上海", "shanghai", "CNSHA", "sh"])
async def test_a_port_is_found_by_chinese_name_pinyin_or_locode(api, query):
    response = await api.get("/reference/ports", params={"q": query, "limit": 100})

    assert response.status_code == 200
    assert "CNSHA" in [p["id"] for p in response.json()["items"]]


async def test_ports_cover_chinese_sea_and_river_ports_and_foreign_bunkering_hubs(api):
    ports = {p["id"]: p for p in await _all(api, "/reference/ports")}

    assert {"CNSHA", "CNNGB", "CNTAO", "CNTSN", "CNWUH", "CNCKG", "SGSIN", "NLRTM", "AEFJR"} <= set(ports)
    assert {p["kind"] for p in ports.values()} == {"sea", "river"}
    countries = {c["id"] for c in await _all(api, "/reference/countries")}
    assert {p["country"] for p in ports.values()} <= countries


async def test_fuel_suppliers_name_the_port_they_supply(api):
    suppliers = await _all(api, "/reference/fuel-suppliers")
    ports = {p["id"] for p in await _all(api, "/reference/ports")}

    assert len(suppliers) >= 15
    assert {s["port"] for s in suppliers} <= ports
    chimbusco = next(s for s in suppliers if s["id"] == "FS001")
    assert chimbusco["port"] == "CNSHA"


async def test_regulation_items_include_the_marpol_sulphur_limits(api):
    items = {r["id"]: r for r in await _all(api, "/reference/regulation-items")}

    assert {"MARPOL-VI-14.1.3", "MARPOL-VI-14.4.3", "BDN-MISMATCH"} <= set(items)
    assert "0.50" in items["MARPOL-VI-14.1.3"]["description"]


async def test_pick_lists_page_by_cursor(api):
    first = (await api.get("/reference/countries", params={"limit": 10})).json()
    second = (
        await api.get("/reference/countries", params={"limit": 10, "cursor": first["next_cursor"]})
    ).json()

    assert len(first["items"]) == len(second["items"]) == 10
    assert first["items"][-1]["id"] < second["items"][0]["id"]


async def test_a_forged_pick_list_cursor_is_a_422(api):
    response = await api.get("/reference/ports", params={"cursor": "WzFd"})

    assert response.status_code == 422
    assert response.json()["code"] == "pagination.invalid_cursor"
