"""GET /audit/events: the audit administrator, and only they, reads the trail; reading it (or
trying to) is recorded too, and what it shows holds no personal data."""

from datetime import timedelta

import pytest

from app.core.db import new_id, utcnow
from tests.support.audit import aged_event, trail
from tests.support.people import bearer, password_login, register_citizen


@pytest.fixture
async def history(session) -> list:
    """Six test events, one a day, the newest yesterday, with a few objects and outcomes."""
    events = [aged_event(day, f"test.{kind}") for day, kind in zip(range(6, 0, -1), "aabbcc", strict=True)]
    actors = [new_id() for _ in range(3)]
    for number, event in enumerate(events):
        event.object_type, event.object_id = "application", f"app-{number % 2}"
        event.outcome = "failure" if number == 0 else "success"
        event.actor_id = actors[number % 3]
    session.add_all(events)
    await session.flush()
    return events


def ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


async def test_the_auditor_reads_the_trail_newest_first(api, reader, history):
    items = await trail(api, reader, event="test.")

    assert ids(items) == [event.id for event in reversed(history)]
    newest = items[0]
    assert newest["event"] == "test.c" and newest["outcome"] == "success"
    assert newest["occurred_at"].endswith("+08:00")
    assert set(newest) == {
        "id",
        "occurred_at",
        "event",
        "outcome",
        "actor_id",
        "object_type",
        "object_id",
        "detail",
    }


async def test_the_pages_follow_each_other_without_gaps_or_repeats(api, reader, history):
    seen, cursor = [], None
    while True:
        params = {"event": "test.", "limit": 4} | ({"cursor": cursor} if cursor else {})
        page = (await api.get("/audit/events", params=params, headers=reader)).json()
        seen += ids(page["items"])
        if (cursor := page["next_cursor"]) is None:
            break

    assert seen == [event.id for event in reversed(history)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"event": "test.b"}, [3, 2]),
        ({"event": "test."}, [5, 4, 3, 2, 1, 0]),
        ({"event": "test"}, []),  # a name, not a prefix, unless it ends with a dot
        ({"event": "test.", "actor_id": 0}, [3, 0]),
        ({"event": "test.", "object_type": "application", "object_id": "app-1"}, [5, 3, 1]),
        ({"event": "test.", "outcome": "failure"}, [0]),
    ],
)
async def test_the_trail_filters_by_event_actor_object_and_outcome(api, reader, history, filters, expected):
    if "actor_id" in filters:  # the actor of that event
        filters = {**filters, "actor_id": history[filters["actor_id"]].actor_id}
    assert ids(await trail(api, reader, **filters)) == [history[n].id for n in expected]


async def test_the_trail_filters_by_time_since_inclusive_until_exclusive(api, reader, history):
    since, until = history[2].occurred_at, history[4].occurred_at

    items = await trail(api, reader, event="test.", since=since.isoformat(), until=until.isoformat())

    assert ids(items) == [history[3].id, history[2].id]


@pytest.mark.parametrize(
    "params",
    [
        {"since": "2026-11-02T00:00:00+08:00", "until": "2026-11-01T00:00:00+08:00"},
        {"since": "2026-11-01T00:00:00"},  # no offset: which day would that be?
        {"event": "AUTH%"},
        {"cursor": "bm90LWEtY3Vyc29y"},
    ],
)
async def test_a_malformed_query_is_refused_with_a_reason(api, reader, params):
    response = await api.get("/audit/events", params=params, headers=reader)

    assert response.status_code == 422
    assert response.json()["title"]


async def test_reading_the_trail_is_itself_recorded_with_what_was_looked_for(api, reader):
    me = (await api.get("/me", headers=reader)).json()["id"]
    await trail(api, reader, event="auth.", outcome="failure")

    (query, *_) = await trail(api, reader, event="audit.query")

    assert query["actor_id"] == me and query["outcome"] == "success"
    assert query["detail"] == {"event": "auth.", "outcome": "failure"}


@pytest.mark.parametrize("username", ["demo-sysadmin", "demo-secadmin", "demo-staff", "demo-officer"])
async def test_no_one_but_the_auditor_reads_the_trail_and_trying_is_recorded(api, reader, username):
    tokens = await password_login(api, username)

    response = await api.get("/audit/events", headers=bearer(tokens))

    assert response.status_code == 403 and response.json()["code"] == "auth.forbidden"
    (attempt, *_) = await trail(api, reader, event="audit.query", outcome="forbidden")
    assert attempt["actor_id"] == tokens["user"]["id"]


async def test_the_trail_shows_no_personal_data(api, reader):
    person, tokens = await register_citizen(api)
    await api.post("/auth/login/password", json={"username": person["phone"], "password": "wrong"})

    response = await api.get(
        "/audit/events", params={"since": (utcnow() - timedelta(minutes=5)).isoformat()}, headers=reader
    )

    assert tokens["user"]["id"] in response.text
    for personal in (person["name"], person["id_number"], person["phone"], "127.0.0.1", "testclient"):
        assert personal not in response.text


async def test_times_are_iso_8601_not_seconds_since_1970(api, reader):
    response = await api.get("/audit/events", params={"until": "0.5"}, headers=reader)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "until"]
