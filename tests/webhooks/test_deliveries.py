"""Outbox → deliveries → signed POSTs: what a subscriber's endpoint receives, and when."""

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from standardwebhooks import Webhook

from app.core.auth import Scope
from app.core.db import new_id
from app.outbox.service import publish
from tests.support.clients import registered_client
from tests.support.clock import FrozenClock
from tests.webhooks.conftest import subscribe


def _application_event(session, status: str = "accepted", agency_code: str = "SH"):
    application_id = new_id()
    return publish(
        session,
        f"application.{status}",
        subject_id=application_id,
        agency_code=agency_code,
        data={
            "id": application_id,
            "number": "HS20261207000001",
            "item_code": "TH-002",
            "agency_code": agency_code,
            "status": status,
            "action": "accept",
            "occurred_at": "2026-12-07T06:00:00+00:00",
        },
    )


async def test_a_subscriber_receives_the_event_signed_so_that_standard_webhooks_verifies_it(
    api, session, subscriber, dispatcher, consumer
):
    subscription = await subscribe(api, subscriber, ["application.*"])
    event = _application_event(session)
    await session.flush()

    await dispatcher.run_once()

    [request] = consumer.received
    body = Webhook(subscription["secret"]).verify(request.content, dict(request.headers))
    assert body["type"] == "application.accepted"
    assert body["data"] == event.data
    assert request.headers["webhook-id"] == (await api.get("/webhooks/deliveries", headers=subscriber)).json()[
        "items"
    ][0]["id"]


async def test_only_the_subscribed_types_arrive(api, session, subscriber, dispatcher, consumer):
    await subscribe(api, subscriber, ["application.approved", "certificate.*"])
    _application_event(session, "accepted")
    _application_event(session, "approved")
    await session.flush()

    await dispatcher.run_once()

    assert [json.loads(request.content)["type"] for request in consumer.received] == ["application.approved"]


async def test_a_client_hears_of_its_own_agency_and_those_below_it_only(
    api, session, settings, subscriber, dispatcher, consumer
):
    """上海海事局's client hears of 上海 and 吴淞 (below it), not of 广东; the ministry's of all."""
    _, ministry = await registered_client(
        session, settings, scopes=[Scope.events_subscribe], agency_code="CN", name="部海事局数据中心"
    )
    shanghai = await subscribe(api, subscriber, ["*"])
    national = await subscribe(api, ministry, ["*"])
    for agency_code in ("SH", "SH-WS", "GD"):
        _application_event(session, agency_code=agency_code)
    await session.flush()

    await dispatcher.run_once()

    heard = {
        (subscription["id"], json.loads(request.content)["data"]["agency_code"])
        for request in consumer.received
        for subscription in (shanghai, national)
        if _verifies(subscription, request)
    }
    assert heard == {
        (shanghai["id"], "SH"),
        (shanghai["id"], "SH-WS"),
        (national["id"], "SH"),
        (national["id"], "SH-WS"),
        (national["id"], "GD"),
    }


def _verifies(subscription: dict, request) -> bool:
    try:
        Webhook(subscription["secret"]).verify(request.content, dict(request.headers))
    except Exception:
        return False
    return True


async def test_a_failed_delivery_is_retried_on_the_standard_webhooks_schedule_with_the_same_id(
    api, session, monkeypatch, subscriber, dispatcher, consumer
):
    clock = FrozenClock(monkeypatch, "app.webhooks.dispatcher.utcnow", "app.webhooks.service.utcnow")
    start = clock.set(datetime.now(UTC).replace(microsecond=0))
    subscription = await subscribe(api, subscriber, ["application.*"])
    consumer.answers = [500]
    _application_event(session)
    await session.flush()

    await dispatcher.run_once()  # 500
    [delivery] = (await api.get("/webhooks/deliveries", headers=subscriber)).json()["items"]
    waited = datetime.fromisoformat(delivery["next_attempt_at"]) - start
    clock.set(start + timedelta(seconds=4))
    await dispatcher.run_once()  # not yet due
    clock.set(start + timedelta(seconds=6))
    await dispatcher.run_once()  # 200

    detail = (await api.get(f"/webhooks/deliveries/{delivery['id']}", headers=subscriber)).json()
    assert timedelta(seconds=4.5) <= waited <= timedelta(seconds=5.5)  # 5 s, with jitter
    assert len(consumer.received) == 2
    assert {request.headers["webhook-id"] for request in consumer.received} == {delivery["id"]}
    assert consumer.received[0].content == consumer.received[1].content
    for request in consumer.received:
        signed_at = datetime.fromtimestamp(int(request.headers["webhook-timestamp"]), UTC)
        expected = Webhook(subscription["secret"]).sign(delivery["id"], signed_at, request.content)
        assert request.headers["webhook-signature"] == expected
    assert [consumer.received[i].headers["webhook-timestamp"] for i in (0, 1)] == [
        str(int(start.timestamp())),
        str(int((start + timedelta(seconds=6)).timestamp())),
    ]
    assert detail["status"] == "delivered"
    assert [(a["status_code"], a["response_excerpt"]) for a in detail["attempts"]] == [
        (500, "consumer is down"),
        (200, "收到"),
    ]


async def test_a_delivery_is_given_up_after_the_last_retry(api, session, monkeypatch, subscriber, dispatcher, consumer):
    clock = FrozenClock(monkeypatch, "app.webhooks.dispatcher.utcnow", "app.webhooks.service.utcnow")
    moment = clock.set(datetime.now(UTC))
    await subscribe(api, subscriber, ["application.*"])
    consumer.answers = [503] * 8
    _application_event(session)
    await session.flush()

    for _ in range(8):
        await dispatcher.run_once()
        moment = clock.set(moment + timedelta(hours=11))

    [delivery] = (await api.get("/webhooks/deliveries", headers=subscriber)).json()["items"]
    assert len(consumer.received) == 8  # the first attempt and seven retries
    assert (delivery["status"], delivery["next_attempt_at"]) == ("failed", None)
    await dispatcher.run_once()
    assert len(consumer.received) == 8


async def test_a_replay_sends_the_same_id_and_body_with_a_new_timestamp_and_signature(
    api, session, monkeypatch, subscriber, dispatcher, consumer
):
    clock = FrozenClock(monkeypatch, "app.webhooks.dispatcher.utcnow", "app.webhooks.service.utcnow")
    start = clock.set(datetime.now(UTC))
    subscription = await subscribe(api, subscriber, ["application.*"])
    _application_event(session)
    await session.flush()
    await dispatcher.run_once()
    [delivery] = (await api.get("/webhooks/deliveries", headers=subscriber)).json()["items"]

    clock.set(start + timedelta(minutes=1))
    replayed = await api.post(f"/webhooks/deliveries/{delivery['id']}/replay", headers=subscriber)
    await dispatcher.run_once()

    first, again = consumer.received
    assert replayed.status_code == 202
    assert again.headers["webhook-id"] == first.headers["webhook-id"] == delivery["id"]
    assert again.content == first.content
    assert again.headers["webhook-timestamp"] != first.headers["webhook-timestamp"]
    assert again.headers["webhook-signature"] != first.headers["webhook-signature"]
    signed_at = datetime.fromtimestamp(int(again.headers["webhook-timestamp"]), UTC)
    assert again.headers["webhook-signature"] == Webhook(subscription["secret"]).sign(
        delivery["id"], signed_at, again.content
    )


async def test_a_host_that_resolves_inside_is_not_sent_to(api, session, subscriber, dispatcher, consumer):
    """The name looked harmless when subscribing; at delivery time it resolves to 10.1.2.3."""
    await subscribe(api, subscriber, ["application.*"], url="https://inside.example/hooks")
    _application_event(session)
    await session.flush()

    await dispatcher.run_once()

    [delivery] = (await api.get("/webhooks/deliveries", headers=subscriber)).json()["items"]
    detail = (await api.get(f"/webhooks/deliveries/{delivery['id']}", headers=subscriber)).json()
    assert consumer.received == []
    assert detail["attempts"][0]["status_code"] is None
    assert "10.1.2.3" in detail["attempts"][0]["error"]
    assert detail["status"] == "pending"  # retried later, checked again then


async def test_a_leased_delivery_is_not_claimed_again_until_its_lease_runs_out(
    api, session, settings, monkeypatch, subscriber, dispatcher
):
    clock = FrozenClock(monkeypatch, "app.webhooks.dispatcher.utcnow", "app.webhooks.service.utcnow")
    start = clock.set(datetime.now(UTC))
    await subscribe(api, subscriber, ["application.*"])
    _application_event(session)
    await session.flush()
    await dispatcher.fan_out()

    [job] = await dispatcher.claim()  # a dispatcher that is then killed mid-send
    clock.set(start + settings.webhook_lease - timedelta(seconds=1))
    still_held = await dispatcher.claim()
    clock.set(start + settings.webhook_lease + timedelta(seconds=1))
    [again] = await dispatcher.claim()

    assert still_held == []
    assert again.delivery_id == job.delivery_id and again.lease != job.lease
    assert again.payload == job.payload


async def test_the_delivery_log_filters_pages_and_shows_a_client_its_own_only(
    api, session, settings, subscriber, dispatcher, consumer
):
    one = await subscribe(api, subscriber, ["application.*"])
    await subscribe(api, subscriber, ["application.approved"])
    consumer.answers = [500]
    _application_event(session, "accepted")
    _application_event(session, "approved")
    await session.flush()
    await dispatcher.run_once()
    _, other = await registered_client(session, settings, scopes=[Scope.events_subscribe], agency_code="SH", name="另一系统")

    async def listed(headers=subscriber, **params):
        response = await api.get("/webhooks/deliveries", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    everything = await listed()
    first_page = await listed(limit=2)
    second_page = await listed(limit=2, cursor=first_page["next_cursor"])
    some_id = everything["items"][0]["id"]

    assert len(everything["items"]) == 3
    assert [d["id"] for d in first_page["items"] + second_page["items"]] == [d["id"] for d in everything["items"]]
    assert second_page["next_cursor"] is None
    assert len((await listed(subscription_id=one["id"]))["items"]) == 2
    assert {d["event_type"] for d in (await listed(event_type="application.approved"))["items"]} == {
        "application.approved"
    }
    assert len((await listed(status="pending"))["items"]) == 1
    assert (await listed(other))["items"] == []
    for request in (
        api.get(f"/webhooks/deliveries/{some_id}", headers=other),
        api.post(f"/webhooks/deliveries/{some_id}/replay", headers=other),
    ):
        assert (await request).status_code == 404


async def test_every_transition_of_an_application_is_in_the_outbox(api, session, corp, staff):
    from app.outbox.models import OutboxEvent
    from tests.support.applying import decide, submitted_application

    application = await submitted_application(api, corp, "TH-001")
    await decide(api, staff, application, "accept")

    events = (
        await session.scalars(
            select(OutboxEvent).where(OutboxEvent.subject_id == application["id"]).order_by(OutboxEvent.id)
        )
    ).all()
    assert [event.type for event in events] == ["application.submitted", "application.accepted"]
    assert events[1].agency_code == application["agency"]["code"]
    assert events[1].data | {"occurred_at": None} == {
        "id": application["id"],
        "number": application["number"],
        "item_code": "TH-001",
        "agency_code": application["agency"]["code"],
        "status": "accepted",
        "action": "accept",
        "occurred_at": None,
    }
