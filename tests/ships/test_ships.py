"""我的船舶: the ships a corporate or ship account reports for."""

import pytest

from tests.support.people import bearer, register_citizen

NEW_SHIP = {
    "name": "长江之星",
    "imo_number": "9234563",
    "mmsi": "413777888",
    "call_sign": "bqcj",
    "flag": "CN",
    "port_of_registry": " 舟山 ",
    "ship_type": "油船",
    "gross_tonnage": 12000,
}


async def test_the_demo_company_reports_for_the_ships_of_the_examples(api, corp):
    ships = (await api.get("/me/ships", headers=corp)).json()

    assert {(s["name"], s["imo_number"]) for s in ships} == {("海港明珠", "9876543"), ("东方通达", "9123453")}


async def test_a_company_adds_and_removes_a_ship(api, corp):
    added = await api.post("/me/ships", json=NEW_SHIP, headers=corp)
    assert added.status_code == 201
    assert added.json()["call_sign"] == "BQCJ"
    assert added.json()["port_of_registry"] == "舟山"

    removed = await api.delete(f"/me/ships/{added.json()['id']}", headers=corp)

    assert removed.status_code == 204
    assert NEW_SHIP["imo_number"] not in {
        s["imo_number"] for s in (await api.get("/me/ships", headers=corp)).json()
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("imo_number", "9234564", "IMO编号校验位不正确"),
        ("imo_number", "92345", "IMO编号应为7位数字"),
        ("mmsi", "12345678", "MMSI应为9位数字（船舶以2至7开头）"),
    ],
)
async def test_ship_identifiers_are_checked(api, corp, field, value, message):
    response = await api.post("/me/ships", json={**NEW_SHIP, field: value}, headers=corp)

    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == message


async def test_an_unknown_flag_is_refused(api, corp):
    response = await api.post("/me/ships", json={**NEW_SHIP, "flag": "QQ"}, headers=corp)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "flag"]


async def test_the_same_ship_cannot_be_added_twice(api, corp):
    response = await api.post("/me/ships", json={**NEW_SHIP, "imo_number": "9876543"}, headers=corp)

    assert response.status_code == 409
    assert response.json()["code"] == "ship.exists"


async def test_another_companys_ship_does_not_exist_for_me(api, corp):
    mine = (await api.get("/me/ships", headers=corp)).json()[0]
    other = await api.post(
        "/auth/register/corporate",
        json={
            "company_name": "另一家航运公司",
            "credit_code": "91310000MA1FL8XK2Y",
            "kind": "company",
            "operator_name": "赵远航",
            "operator_id_number": "110101198001010010",
            "contact_phone": "13600001111",
            "username": "other-co",
            "password": "Other#Pass99",
        },
    )
    other_headers = bearer(other.json())

    assert (await api.delete(f"/me/ships/{mine['id']}", headers=other_headers)).status_code == 404
    assert (await api.get("/me/ships", headers=other_headers)).json() == []


async def test_personal_users_have_no_ships(api):
    _, tokens = await register_citizen(api)

    response = await api.get("/me/ships", headers=bearer(tokens))

    assert response.status_code == 403
    assert response.json()["code"] == "auth.forbidden"


async def test_a_company_corrects_a_ships_particulars(api, corp):
    ship = (await api.get("/me/ships", headers=corp)).json()[0]
    body = {**NEW_SHIP, "imo_number": ship["imo_number"], "name": "海港明珠二号", "gross_tonnage": 40100}

    edited = await api.put(f"/me/ships/{ship['id']}", json=body, headers=corp)

    assert edited.status_code == 200
    assert edited.json() | {"created_at": None} == {
        **body, "call_sign": "BQCJ", "port_of_registry": "舟山", "id": ship["id"], "created_at": None
    }
    listed = {s["id"]: s for s in (await api.get("/me/ships", headers=corp)).json()}
    assert listed[ship["id"]]["name"] == "海港明珠二号"
    assert listed[ship["id"]]["port_of_registry"] == "舟山"
    assert listed[ship["id"]]["created_at"] == ship["created_at"]


async def test_an_edit_is_checked_as_an_addition_and_changes_nothing_when_refused(api, corp):
    first, second = (await api.get("/me/ships", headers=corp)).json()

    bad_imo = await api.put(f"/me/ships/{first['id']}", json={**NEW_SHIP, "imo_number": "9234564"}, headers=corp)
    bad_flag = await api.put(f"/me/ships/{first['id']}", json={**NEW_SHIP, "flag": "QQ"}, headers=corp)
    taken = await api.put(
        f"/me/ships/{first['id']}", json={**NEW_SHIP, "imo_number": second["imo_number"]}, headers=corp
    )

    assert (bad_imo.status_code, bad_imo.json()["errors"][0]["msg"]) == (422, "IMO编号校验位不正确")
    assert (bad_flag.status_code, bad_flag.json()["errors"][0]["loc"]) == (422, ["body", "flag"])
    assert (taken.status_code, taken.json()["code"]) == (409, "ship.exists")
    assert (await api.get("/me/ships", headers=corp)).json() == [first, second]


async def test_a_company_cannot_edit_another_companys_ship(api, corp):
    mine = (await api.get("/me/ships", headers=corp)).json()[0]
    other = await api.post(
        "/auth/register/corporate",
        json={
            "company_name": "又一家航运公司",
            "credit_code": "91310000MA1FL8XK2Y",
            "kind": "company",
            "operator_name": "钱航行",
            "operator_id_number": "110101198001010010",
            "contact_phone": "13600002222",
            "username": "third-co",
            "password": "Other#Pass99",
        },
    )

    response = await api.put(f"/me/ships/{mine['id']}", json=NEW_SHIP, headers=bearer(other.json()))

    assert (response.status_code, response.json()["code"]) == (404, "ship.not_found")
    assert (await api.get("/me/ships", headers=corp)).json()[0] == mine
    missing = await api.put("/me/ships/00000000-0000-0000-0000-000000000000", json=NEW_SHIP, headers=corp)
    assert missing.status_code == 404
