"""The dispatcher runs with the service (WEBHOOK_DISPATCHER=embedded): two web workers on one
database deliver every event once, each claim taken by one of them only."""

import asyncio
import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from app.core.auth import Scope
from app.core.db import create_engine, create_sessionmaker, in_transaction, new_id
from app.core.pii import PersonalDataCipher
from app.main import create_app
from app.outbox.service import publish
from app.webhooks import service
from app.webhooks.schemas import SubscriptionCreate
from tests.support.clients import registered_client
from tests.support.database import settings_for_tests

EVENTS = 10


class _Consumer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[tuple[str, dict]] = []


class _Handler(BaseHTTPRequestHandler):
    server: _Consumer

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["content-length"]))
        self.server.received.append((self.headers["webhook-id"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


async def test_two_workers_with_embedded_dispatchers_deliver_each_event_once(
    database_kind, prepared_database, tmp_path
):
    consumer = _Consumer()
    threading.Thread(target=consumer.serve_forever, daemon=True).start()
    settings = settings_for_tests(prepared_database(database_kind), tmp_path).model_copy(
        update={
            "webhook_dispatcher": "embedded",
            "webhook_allow_http": True,
            "webhook_allow_private_targets": True,  # the consumer is on loopback
            "webhook_poll_seconds": 0.05,
        }
    )
    engine = create_engine(settings)

    async def fill(session):
        client, _ = await registered_client(session, settings, scopes=[Scope.events_subscribe])
        await service.create_subscription(
            session,
            settings,
            PersonalDataCipher(*settings.pii_keys),
            client.user_id,
            SubscriptionCreate(url=f"http://127.0.0.1:{consumer.server_address[1]}/hooks", event_types=["*"]),
        )

    async def announce(session):
        for position in range(EVENTS):
            publish(session, "application.accepted", subject_id=new_id(), agency_code="SH", data={"n": position})

    workers = [create_app(settings), create_app(settings)]
    try:
        await in_transaction(create_sessionmaker(engine), fill)
        async with contextlib.AsyncExitStack() as stack:
            for worker in workers:
                await stack.enter_async_context(worker.router.lifespan_context(worker))
            await in_transaction(create_sessionmaker(engine), announce)
            for _ in range(400):
                if len(consumer.received) >= EVENTS:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # time for a double to show, were there one
        # the lifespans are over: their dispatchers have stopped
    finally:
        await engine.dispose()
        consumer.shutdown()
        consumer.server_close()

    ids = [delivery_id for delivery_id, _ in consumer.received]
    assert len(ids) == len(set(ids)) == EVENTS
    assert sorted(body["data"]["n"] for _, body in consumer.received) == list(range(EVENTS))
