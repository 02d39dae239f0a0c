"""我的消息: reminders listed newest first, with an unread badge."""

import pytest

from app.messages.service import post_message
from tests.support.people import bearer, password_login, register_citizen


@pytest.fixture
async def citizen_with_messages(api, session):
    _, tokens = await register_citizen(api)
    for n in range(5):
        post_message(
            session,
            tokens["user"]["id"],
            category="application",
            title=f"办件状态更新 {n}",
            body="您的办件已受理",
            subject_type="application",
            subject_id=f"app-{n}",
        )
    await session.flush()
    return bearer(tokens)


async def test_messages_arrive_newest_first_with_an_unread_badge(api, citizen_with_messages):
    headers = citizen_with_messages

    page = (await api.get("/me/messages", headers=headers)).json()
    badge = (await api.get("/me/messages/unread-count", headers=headers)).json()

    assert [m["title"] for m in page["items"]][:2] == ["办件状态更新 4", "办件状态更新 3"]
    assert badge == {"unread": 5}
    assert page["items"][0]["created_at"].endswith("+08:00")


async def test_reading_a_message_lowers_the_badge(api, citizen_with_messages):
    headers = citizen_with_messages
    first = (await api.get("/me/messages", headers=headers)).json()["items"][0]

    read = await api.post(f"/me/messages/{first['id']}/read", headers=headers)

    assert read.json()["read"] is True
    assert (await api.get("/me/messages/unread-count", headers=headers)).json() == {"unread": 4}
    unread = (await api.get("/me/messages", params={"unread": "true"}, headers=headers)).json()["items"]
    assert first["id"] not in [m["id"] for m in unread]


async def test_read_all_clears_the_badge(api, citizen_with_messages):
    headers = citizen_with_messages

    assert (await api.post("/me/messages/read-all", headers=headers)).status_code == 204

    assert (await api.get("/me/messages/unread-count", headers=headers)).json() == {"unread": 0}


async def test_pages_walk_every_message_once(api, citizen_with_messages):
    headers, seen, cursor = citizen_with_messages, [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/me/messages", params=params, headers=headers)).json()
        seen += [m["id"] for m in page["items"]]
        if not (cursor := page["next_cursor"]):
            break

    assert len(seen) == len(set(seen)) == 5


async def test_someone_elses_message_does_not_exist_for_me(api, citizen_with_messages):
    theirs = (await api.get("/me/messages", headers=citizen_with_messages)).json()["items"][0]
    mine = bearer(await password_login(api, "demo-corp"))

    response = await api.post(f"/me/messages/{theirs['id']}/read", headers=mine)

    assert response.status_code == 404
    assert response.json()["code"] == "message.not_found"
