"""The issue's point: a webhook consumer receives every event, each repeat under the same
``webhook-id`` with the same body, across a dispatcher killed while deliveries are in flight.

A real consumer (an HTTP server on loopback, deduplicating by ``webhook-id`` as Standard Webhooks
asks) and the dispatcher as a real process (``python -m app.cli webhooks-dispatch``) on a file
database. The consumer holds its first answers; the dispatcher is SIGKILLed with them in flight
and started again: the leases of the killed one run out and the held deliveries go out again.

SQLite only: the point is a process dying mid-delivery and its leases running out, which is the
same on both databases; PostgreSQL's ``SKIP LOCKED`` claim runs in every other webhook test.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from standardwebhooks import Webhook

from app.core.auth import Scope
from app.core.db import create_engine, create_sessionmaker, in_transaction, new_id
from app.core.pii import PersonalDataCipher
from app.outbox.service import publish
from app.webhooks import service
from app.webhooks.models import WebhookDelivery
from app.webhooks.schemas import SubscriptionCreate
from tests.support.clients import registered_client
from tests.support.servers import REPO_ROOT

EVENTS = 24
HELD = 6  # answers the consumer keeps back until the dispatcher is dead


class _Consumer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.received: list[tuple[dict, bytes]] = []
        self.held = threading.Semaphore(0)
        self.holding = 0
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks"


class _Handler(BaseHTTPRequestHandler):
    server: _Consumer

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers["content-length"])
        body = self.rfile.read(length)
        if len(body) < length:
            return  # cut off by the kill: never a delivery (its signature would not verify)
        with self.server.lock:
            self.server.received.append((dict(self.headers), body))
            hold = self.server.holding < HELD
            self.server.holding += hold
        if hold:
            self.server.held.release()
            self.server.release.wait(30)
        try:
            self.send_response(204)
            self.end_headers()
        except OSError:
            pass  # the dispatcher that sent it is gone

    def log_message(self, *args) -> None:
        pass


def _dispatcher(environment: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "webhooks-dispatch"],
        cwd=REPO_ROOT,
        env={**os.environ, **environment},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def _world(settings, url: str) -> tuple[str, list[dict]]:
    """A subscribing client of SH and EVENTS application events waiting in the outbox."""
    engine = create_engine(settings)

    async def fill(session):
        client, _ = await registered_client(session, settings, scopes=[Scope.events_subscribe])
        _, secret = await service.create_subscription(
            session,
            settings,
            PersonalDataCipher(*settings.pii_keys),
            client.user_id,
            SubscriptionCreate(url=url, event_types=["application.*"]),
        )
        data = []
        for position in range(EVENTS):
            application_id = new_id()
            data.append({"id": application_id, "number": f"HS20261207{position:06d}", "status": "submitted"})
            publish(session, "application.submitted", subject_id=application_id, agency_code="SH", data=data[-1])
        return secret, data

    try:
        return await in_transaction(create_sessionmaker(engine), fill)
    finally:
        await engine.dispose()


async def _delivered(settings) -> int:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            return await session.scalar(
                select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.status == "delivered")
            )
    finally:
        await engine.dispose()


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


async def test_every_event_arrives_under_one_id_each_across_a_killed_dispatcher(database_kind, operator_env):
    if database_kind != "sqlite":
        pytest.skip("one database is enough for a killed process (see the module's docstring)")
    consumer = _Consumer()
    threading.Thread(target=consumer.serve_forever, daemon=True).start()
    environment = {
        "WEBHOOK_DISPATCHER": "external",
        "WEBHOOK_ALLOW_HTTP": "true",
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",  # the consumer is on loopback
        "WEBHOOK_LEASE": "PT3S",
        "WEBHOOK_TIMEOUT_SECONDS": "2",
        "WEBHOOK_POLL_SECONDS": "0.1",
        "LOG_LEVEL": "WARNING",
    }
    first = second = None
    try:
        allowed = operator_env.model_copy(update={"webhook_allow_http": True, "webhook_allow_private_targets": True})
        secret, data = await _world(allowed, consumer.url)

        first = _dispatcher(environment)
        for _ in range(HELD):  # the first answers are held: those deliveries are in flight
            assert consumer.held.acquire(timeout=90), "the dispatcher sent nothing"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        consumer.release.set()
        in_flight_when_killed = {headers["webhook-id"] for headers, _ in consumer.received[:HELD]}

        second = _dispatcher(environment)
        _wait_for(
            lambda: len({headers["webhook-id"] for headers, _ in consumer.received}) >= EVENTS
            and all(
                sum(h["webhook-id"] == delivery_id for h, _ in consumer.received) >= 2
                for delivery_id in in_flight_when_killed
            ),
            90,  # a process start is seconds on an idle machine, much more on a loaded one
            "every event and the resent in-flight ones",
        )
        os.killpg(second.pid, signal.SIGTERM)  # stops cleanly after its round
        assert second.wait(30) == 0, second.stderr.read().decode()
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        consumer.release.set()
        consumer.shutdown()
        consumer.server_close()

    by_id: dict[str, set[bytes]] = {}
    for headers, body in consumer.received:
        Webhook(secret).verify(body, headers)
        by_id.setdefault(headers["webhook-id"], set()).add(body)
    deduplicated = [json.loads(next(iter(bodies)))["data"] for bodies in by_id.values()]

    assert all(len(bodies) == 1 for bodies in by_id.values())  # a repeat carries the same body
    assert sorted(deduplicated, key=lambda d: d["number"]) == data  # every event, once per id
    assert in_flight_when_killed <= {i for i, bodies in by_id.items()}
    assert await _delivered(operator_env) == EVENTS
