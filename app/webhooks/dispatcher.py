"""Outbox → deliveries → POSTs: the webhook dispatcher.

Each round, in transactions of its own:

1. **Fan out**: the oldest outbox events not yet fanned out (``id`` order), one delivery per
   event and matching subscription (its event types; the client's agency subtree), and the
   events marked fanned out, all in one transaction.
2. **Claim**: pending deliveries whose time has come and that no live lease holds get a lease
   (``locked_until``, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's IMMEDIATE transaction
   holds its single write lock): two dispatchers never send one delivery at once, and the lease
   of a dispatcher killed mid-send runs out, so another sends it again, with the same id.
3. **Send**: a signed POST (Standard Webhooks) with a timeout and no redirects, after checking the
   resolved address (SSRF); **record** the attempt and the outcome: 2xx delivered, anything else
   retried on the Standard Webhooks schedule with jitter, then failed.

It runs in the web workers (``WEBHOOK_DISPATCHER=embedded``) or as its own process
(``python -m app.cli webhooks-dispatch``); either way it stops after the round in progress.
"""

import asyncio
import contextlib
import json
import logging
import random
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from standardwebhooks import Webhook

from app.core.config import Settings
from app.core.db import create_sessionmaker, in_transaction, new_id, utcnow
from app.core.pii import PersonalDataCipher
from app.outbox.models import OutboxEvent
from app.webhooks import events, repository, targets
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from app.webhooks.service import secret_of

log = logging.getLogger(__name__)
T = TypeVar("T")
Transact = Callable[[Callable[[AsyncSession], Awaitable[T]]], Awaitable[T]]
Resolve = Callable[[str, int], Awaitable[list[str]]]

# Standard Webhooks' schedule: after the first attempt fails, wait this long before the next.
RETRY_SCHEDULE = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
JITTER = 0.1  # each wait is stretched or shrunk by up to 10 %, so retries do not come in waves
BATCH = 50
CONCURRENT_SENDS = 10
EXCERPT_BYTES = 500
USER_AGENT = "msa-one-stop-webhooks/1"


async def resolve_host(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def retry_delay(failed_attempts: int) -> timedelta | None:
    """How long to wait after the ``failed_attempts``-th failure; None: give up."""
    if failed_attempts > len(RETRY_SCHEDULE):
        return None
    return RETRY_SCHEDULE[failed_attempts - 1] * random.uniform(1 - JITTER, 1 + JITTER)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def payload_of(event: OutboxEvent) -> dict[str, Any]:
    return {"type": event.type, "timestamp": _timestamp(event.occurred_at), "data": event.data}


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _ancestors(code: str | None, parents: dict[str, str | None]) -> set[str | None]:
    seen: set[str | None] = set()
    while code is not None and code not in seen:
        seen.add(code)
        code = parents.get(code)
    return seen


def delivery_of(event: OutboxEvent, subscription: WebhookSubscription, now: datetime) -> WebhookDelivery:
    """The delivery of ``event`` to ``subscription``: its id is the ``webhook-id`` for good."""
    return WebhookDelivery(
        id=new_id(),
        subscription_id=subscription.id,
        client_id=subscription.client_id,
        event_id=event.id,
        event_type=event.type,
        payload=payload_of(event),
        status="pending",
        attempt_count=0,
        next_attempt_at=now,
        created_at=now,
    )


@dataclass(frozen=True)
class Job:
    delivery_id: str
    lease: str
    url: str
    secret: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None
    excerpt: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class Dispatcher:
    transact: Transact
    settings: Settings
    pii: PersonalDataCipher
    http: httpx.AsyncClient
    resolve: Resolve = resolve_host
    batch: int = BATCH
    _sends: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CONCURRENT_SENDS))

    async def fan_out(self) -> int:
        """Fan the oldest pending events out to deliveries; how many events were fanned out."""
        return await self.transact(self._fan_out)

    async def _fan_out(self, session: AsyncSession) -> int:
        pending = await repository.pending_events(session, self.batch)
        if not pending:
            return 0
        subscriptions = await repository.live_subscriptions(session)
        parents = await repository.agency_parents(session)
        now = utcnow()
        for event in pending:
            within = _ancestors(event.agency_code, parents)
            for subscription, client_agency in subscriptions:
                if (client_agency is None or client_agency in within) and events.matches(
                    subscription.event_types, event.type
                ):
                    session.add(delivery_of(event, subscription, now))
        await session.flush()
        await repository.mark_fanned_out(session, [event.id for event in pending], now)
        return len(pending)

    async def claim(self) -> list[Job]:
        """Lease the deliveries that are due: what this dispatcher is now to send."""
        return await self.transact(self._claim)

    async def _claim(self, session: AsyncSession) -> list[Job]:
        now = utcnow()
        due = await repository.due_deliveries(session, now, self.batch)
        if not due:
            return []
        lease = new_id()
        for delivery in due:
            delivery.locked_until = now + self.settings.webhook_lease
            delivery.lease = lease
        subscriptions = await repository.subscriptions_by_id(session, {d.subscription_id for d in due})
        await session.flush()
        return [
            Job(
                delivery_id=delivery.id,
                lease=lease,
                url=subscriptions[delivery.subscription_id].url,
                secret=secret_of(subscriptions[delivery.subscription_id], self.pii),
                payload=delivery.payload,
            )
            for delivery in due
        ]

    async def send(self, job: Job) -> Outcome:
        """One signed POST of ``job``; never raises for what the other side does."""
        at = utcnow()
        started = time.monotonic()
        body = body_of(job.payload)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": job.delivery_id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": Webhook(job.secret).sign(job.delivery_id, at, body),
        }
        status_code = excerpt = error = None
        try:
            refusal = await self._target_refusal(job.url)
            if refusal:
                error = refusal
            else:
                timeout = self.settings.webhook_timeout_seconds
                async with self.http.stream(
                    "POST", job.url, content=body, headers=headers, timeout=timeout
                ) as response:
                    status_code = response.status_code
                    excerpt = await _first_bytes(response)
        except (httpx.HTTPError, OSError) as failure:
            error = f"{type(failure).__name__}: {failure}"[:200]
        except Exception as failure:  # a URL httpx will not take, …: a failed attempt, not a dead round
            log.exception("webhook delivery %s could not be sent", job.delivery_id)
            error = f"{type(failure).__name__}: {failure}"[:200]
        duration_ms = int((time.monotonic() - started) * 1000)
        return Outcome(at, status_code, duration_ms, error, excerpt)

    async def _target_refusal(self, url: str) -> str | None:
        parts = urlsplit(url)
        refusal = targets.url_refusal(url, self.settings)
        if refusal:
            return refusal
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return targets.address_refusal(await self.resolve(parts.hostname or "", port), self.settings)

    async def record(self, job: Job, outcome: Outcome) -> None:
        await self.transact(lambda session: self._record(session, job, outcome))

    async def _record(self, session: AsyncSession, job: Job, outcome: Outcome) -> None:
        session.add(
            WebhookAttempt(
                delivery_id=job.delivery_id,
                at=outcome.at,
                status_code=outcome.status_code,
                duration_ms=outcome.duration_ms,
                error=outcome.error,
                response_excerpt=outcome.excerpt,
            )
        )
        delivery = await repository.claimed(session, job.delivery_id, job.lease)
        if delivery is None:
            # Replayed meanwhile, or the lease ran out and passed on: the attempt is logged, and
            # whoever holds the delivery now decides what becomes of it.
            await session.flush()
            return
        now = utcnow()
        delivery.last_status_code = outcome.status_code
        delivery.locked_until = None
        delivery.lease = None
        delivery.attempt_count += 1
        if outcome.delivered:
            delivery.status = "delivered"
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        else:
            delay = retry_delay(delivery.attempt_count)
            delivery.status = "pending" if delay is not None else "failed"
            delivery.next_attempt_at = now + delay if delay is not None else None
        await session.flush()

    async def _deliver(self, job: Job) -> None:
        async with self._sends:
            outcome = await self.send(job)
        await self.record(job, outcome)

    async def deliver_due(self) -> int:
        """Claim what is due and send it; how many were sent."""
        jobs = await self.claim()
        await asyncio.gather(*(self._deliver(job) for job in jobs))
        return len(jobs)

    async def run_once(self) -> int:
        return await self.fan_out() + await self.deliver_due()

    async def run(self, stop: asyncio.Event) -> None:
        """Round after round until ``stop`` is set; the round in progress is finished first."""
        log.info("webhook dispatcher running")
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except Exception:
                log.exception("webhook dispatch round failed")
                busy = 0
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.settings.webhook_poll_seconds)
        log.info("webhook dispatcher stopped")


async def _first_bytes(response: httpx.Response) -> str:
    received = b""
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) >= EXCERPT_BYTES:
            break
    return received[:EXCERPT_BYTES].decode("utf-8", errors="replace")


def http_client() -> httpx.AsyncClient:
    """Redirects are not followed (a 3xx is a failed attempt) and no proxy from the environment."""
    return httpx.AsyncClient(follow_redirects=False, trust_env=False)


async def serve(
    engine: AsyncEngine, settings: Settings, pii: PersonalDataCipher, stop: asyncio.Event
) -> None:
    """The dispatcher on ``engine`` until ``stop`` is set (the lifespan's task, the CLI's process)."""
    sessionmaker = create_sessionmaker(engine, lock_on_begin=True)
    async with http_client() as http:
        await Dispatcher(partial(in_transaction, sessionmaker), settings, pii, http).run(stop)
