"""订阅事件: a machine client names a URL and the event types; the secret is shown once."""

import pytest
from sqlalchemy import select

from app.core.auth import Scope
from app.webhooks.models import WebhookSubscription
from tests.support.clients import registered_client
from tests.webhooks.conftest import CONSUMER_URL, subscribe


async def test_a_subscription_shows_its_whsec_secret_once_and_keeps_it_encrypted(api, session, subscriber):
    created = await subscribe(api, subscriber, ["application.*", "certificate.status_changed"])

    listed = (await api.get("/webhooks/subscriptions", headers=subscriber)).json()
    stored = await session.scalar(select(WebhookSubscription).where(WebhookSubscription.id == created["id"]))

    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["application.*", "certificate.status_changed"]
    assert listed == [{key: created[key] for key in ("id", "url", "event_types", "created_at")}]
    assert created["secret"].encode() not in stored.secret_encrypted


async def test_an_unknown_event_type_is_refused_by_name(api, subscriber):
    response = await api.post(
        "/webhooks/subscriptions",
        json={"url": CONSUMER_URL, "event_types": ["application.accepted", "application.approvd"]},
        headers=subscriber,
    )

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [["body", "event_types", 1]]
    assert "application.approved" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "http://consumer.example/hooks",  # not https
        "https://127.0.0.1/hooks",  # loopback
        "https://localhost:8443/hooks",
        "https://10.0.0.8/hooks",  # private
        "https://192.168.1.20/hooks",
        "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://user:secret@consumer.example/hooks",
    ],
)
async def test_a_url_that_is_not_https_or_points_inside_is_refused(api, subscriber, url):
    response = await api.post(
        "/webhooks/subscriptions", json={"url": url, "event_types": ["application.*"]}, headers=subscriber
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "url"]


async def test_a_client_sees_and_deletes_only_its_own_subscriptions(api, session, settings, subscriber):
    mine = await subscribe(api, subscriber, ["*"])
    _, other = await registered_client(
        session, settings, scopes=[Scope.events_subscribe], agency_code="GD", name="广东海事局业务系统"
    )

    assert (await api.get("/webhooks/subscriptions", headers=other)).json() == []
    refused = await api.delete(f"/webhooks/subscriptions/{mine['id']}", headers=other)
    assert refused.status_code == 404
    assert refused.json()["code"] == "webhooks.subscription_not_found"

    assert (await api.delete(f"/webhooks/subscriptions/{mine['id']}", headers=subscriber)).status_code == 204
    assert (await api.get("/webhooks/subscriptions", headers=subscriber)).json() == []


async def test_a_client_without_the_events_scope_cannot_subscribe(api, session, settings):
    _, reader = await registered_client(session, settings, scopes=[Scope.applications_read])

    response = await api.post(
        "/webhooks/subscriptions", json={"url": CONSUMER_URL, "event_types": ["*"]}, headers=reader
    )

    assert response.status_code == 403
    assert response.json()["code"] == "auth.insufficient_scope"
