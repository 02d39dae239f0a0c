"""Another user's application does not exist for me, anywhere; 办件查询 leaks nothing."""

from tests.support.addresses import from_address
from tests.support.applying import decide, submitted_application
from tests.support.clock import fresh_rate_window
from tests.support.people import bearer, register_citizen


async def test_another_users_application_is_404_everywhere(api, corp):
    application = await submitted_application(api, corp, "WF-002")
    _, tokens = await register_citizen(api)
    other = bearer(tokens)
    base = f"/applications/{application['id']}"
    notice_id = "01a21dc0-0000-7000-8000-000000000000"

    attempts = [
        await api.get(base, headers=other),
        await api.put(base, json={}, headers=other),
        await api.delete(base, headers=other),
        await api.post(f"{base}/submit", headers=other),
        await api.post(f"{base}/cancel", headers=other),
        await api.get(f"{base}/notices", headers=other),
        await api.get(f"{base}/notices/{notice_id}", headers=other),
        await api.post(f"{base}/evaluation", json={"rating": 5}, headers=other),
    ]

    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert {r.json()["code"] for r in attempts} == {"application.not_found"}
    assert (await api.get("/me/applications", headers=other)).json()["items"] == []


async def test_progress_is_found_with_the_number_and_the_contact_phone(api, corp, staff):
    application = await submitted_application(api, corp, "WF-002")
    await decide(api, staff, application, "accept", comment="受理人：张三 13912345678")

    response = await api.post(
        "/public/progress", json={"application_no": application["number"], "phone": "13800138000"}
    )

    assert response.status_code == 200
    progress = response.json()
    assert progress["status"]["label"] == "已受理"
    assert progress["item"]["label"] == "不合规燃油信息报告"
    assert [e["action"]["label"] for e in progress["timeline"]] == ["提交", "受理"]
    text = response.text
    for personal in ("13800138000", "王海明", "张三", "13912345678", "上海海港示例航运有限公司", "9876543"):
        assert personal not in text


async def test_a_wrong_number_and_a_wrong_phone_look_the_same(api, corp):
    application = await submitted_application(api, corp, "WF-002")

    wrong_phone = await api.post(
        "/public/progress", json={"application_no": application["number"], "phone": "13900000000"}
    )
    wrong_number = await api.post(
        "/public/progress", json={"application_no": "HS20260101000000", "phone": "13800138000"}
    )

    assert wrong_phone.status_code == wrong_number.status_code == 404
    strip = lambda r: {k: v for k, v in r.json().items() if k != "request_id"}  # noqa: E731
    assert strip(wrong_phone) == strip(wrong_number)


async def test_guessing_is_rate_limited_per_address(api, app, corp):
    application = await submitted_application(api, corp, "WF-002")
    app.state.settings = app.state.settings.model_copy(update={"public_queries_per_minute": 3})
    await fresh_rate_window()
    for n in range(3):
        await api.post(
            "/public/progress", json={"application_no": application["number"], "phone": f"1390000000{n}"}
        )

    limited = await api.post(
        "/public/progress", json={"application_no": application["number"], "phone": "13800138000"}
    )

    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1


async def test_one_address_may_get_an_application_number_wrong_only_so_often_a_day(api, app, corp):
    application = await submitted_application(api, corp, "WF-002")
    app.state.settings = app.state.settings.model_copy(
        update={"public_queries_per_minute": 100, "public_queries_per_number_per_day": 3}
    )
    for n in range(3):
        wrong = await api.post(
            "/public/progress", json={"application_no": application["number"], "phone": f"1390000000{n}"}
        )
        assert wrong.status_code == 404

    limited = await api.post(
        "/public/progress", json={"application_no": application["number"], "phone": "13800138000"}
    )

    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 86400


async def test_wrong_phones_from_elsewhere_never_refuse_the_applicant(api, app, corp):
    """Issue 14 point 9: thirty wrong-phone queries used to block an application number all day."""
    application = await submitted_application(api, corp, "WF-002")
    app.state.settings = app.state.settings.model_copy(
        update={"public_queries_per_minute": 100, "public_queries_per_number_per_day": 3}
    )
    for n in range(3):
        async with from_address(app, f"203.0.113.{n + 10}") as stranger:
            for attempt in range(4):
                wrong = await stranger.post(
                    "/public/progress",
                    json={"application_no": application["number"], "phone": f"139000000{n}{attempt}"},
                )
                assert wrong.status_code == (404 if attempt < 3 else 429)

    async with from_address(app, "198.51.100.90") as applicant:
        answer = await applicant.post(
            "/public/progress", json={"application_no": application["number"], "phone": "13800138000"}
        )

    assert answer.status_code == 200, answer.text
