"""A webhook consumer that answers from a script, and the dispatcher driven by the test.

The dispatcher runs in the test's own transaction (each of its steps on the test's session),
sends through an in-process transport to the consumer, and resolves host names from a table;
``tests/webhooks/test_killed_dispatcher.py`` runs the real thing as a process instead.
"""

import asyncio
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import update

from app.core.auth import Scope
from app.core.db import utcnow
from app.core.pii import PersonalDataCipher
from app.outbox.models import OutboxEvent
from app.webhooks.dispatcher import Dispatcher
from tests.support.clients import registered_client

CONSUMER_URL = "https://consumer.example/hooks/msa"
# What the consumer's name resolves to: a public address, so the SSRF check lets it through.
ADDRESSES = {"consumer.example": ["93.184.216.34"], "inside.example": ["10.1.2.3"]}


@dataclass
class Consumer:
    """Answers each POST with the next scripted status (then 200) and keeps what arrived."""

    answers: list[int] = field(default_factory=list)
    received: list[httpx.Request] = field(default_factory=list)

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.received.append(request)
        status = self.answers.pop(0) if self.answers else 200
        return httpx.Response(status, text="收到" if status < 300 else "consumer is down")


@pytest.fixture
def consumer() -> Consumer:
    return Consumer()


async def _resolve(host: str, port: int) -> list[str]:
    return ADDRESSES[host]


@pytest.fixture
async def dispatcher(session, settings, consumer):
    # Events of the prepared database (demo data) are not the test's: a clean outbox.
    await session.execute(update(OutboxEvent).where(OutboxEvent.fanned_out_at.is_(None)).values(fanned_out_at=utcnow()))

    one_at_a_time = asyncio.Lock()  # the dispatcher's transactions share the test's session

    async def transact(work):
        async with one_at_a_time:
            return await work(session)

    async with httpx.AsyncClient(transport=httpx.MockTransport(consumer.answer)) as http:
        yield Dispatcher(transact, settings, PersonalDataCipher(*settings.pii_keys), http, resolve=_resolve)


@pytest.fixture
async def subscriber(session, settings) -> dict:
    """A machine client of 上海海事局 (SH) that may subscribe to events: its token's headers."""
    _, headers = await registered_client(session, settings, scopes=[Scope.events_subscribe], agency_code="SH")
    await session.commit()  # kept when a refused request rolls its own work back
    return headers


async def subscribe(api, headers: dict, event_types: list[str], url: str = CONSUMER_URL) -> dict:
    response = await api.post("/webhooks/subscriptions", json={"url": url, "event_types": event_types}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()
