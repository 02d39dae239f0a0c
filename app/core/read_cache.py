"""Public reference data served from memory: agencies, catalog, guides, pick lists, help.

Each answer is kept encoded, with its ETag, per dataset version and URL. A hit needs neither
a database session nor JSON encoding. The versions live in the database: the seed command
bumps them, and every worker notices within ``READ_CACHE_CHECK_SECONDS`` and starts afresh.
An answer also holds only for the day it was made on (China time): a unit whose closing date
comes leaves the tree at midnight, with nothing published.

While the database cannot be reached, what a worker holds is the last version it saw
published, and it goes on answering with it (``Cache-Status: …; detail=database-unreachable``)
instead of failing every public read on the version check; it checks again in the background
and carries on as before once the database answers.
"""

import asyncio
import hashlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, upsert_statement
from app.core.errors import unavailability
from app.core.schemas import CHINA_TIME

PUBLIC_CACHE_CONTROL = "public, max-age=300"
DATASETS = ("agencies", "catalog", "reference", "help")
# RFC 9211: which cache answered, and why with what it may no longer be sure of.
STALE_CACHE_STATUS = 'msa-read-cache; hit; detail="database-unreachable"'
log = logging.getLogger(__name__)

# What every route answered from memory states in the contract besides its errors.
CACHED_RESPONSES: dict[int | str, dict] = {
    200: {
        "headers": {
            "ETag": {"description": "内容的实体标签，供 `If-None-Match` 使用", "schema": {"type": "string"}},
            "Cache-Status": {
                "description": "仅在数据库暂时不可用、以内存中最后发布的版本应答时出现（RFC 9211）："
                + f"`{STALE_CACHE_STATUS}`",
                "schema": {"type": "string", "enum": [STALE_CACHE_STATUS]},
            },
        }
    },
    304: {"description": "未修改（`If-None-Match` 命中）"},
}


class CacheVersion(Base):
    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


@dataclass(frozen=True)
class EncodedBody:
    body: bytes
    etag: str

    @property
    def validators(self) -> list[tuple[bytes, bytes]]:
        return [(b"etag", self.etag.encode()), (b"cache-control", PUBLIC_CACHE_CONTROL.encode())]

    @property
    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(self.body)).encode()),
            *self.validators,
        ]


@dataclass(frozen=True)
class Hit:
    route: str
    encoded: EncodedBody
    # Served while the database was unreachable: the last version this worker saw published.
    stale: bool


@dataclass(frozen=True)
class _Answer:
    dataset: str
    version: int
    route: str
    encoded: EncodedBody
    # Answers hold for the day they were made on (China time): a unit with a closing date
    # leaves the tree at midnight without anything being published.
    until: float


def wall_clock() -> float:
    return time.time()


def _next_midnight(now: float) -> float:
    day = datetime.fromtimestamp(now, CHINA_TIME).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=CHINA_TIME).timestamp()


def encode(payload: Any) -> EncodedBody:
    body = json.dumps(jsonable_encoder(payload), ensure_ascii=False, separators=(",", ":")).encode()
    return EncodedBody(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def _not_modified(if_none_match: str, encoded: EncodedBody) -> bool:
    return encoded.etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}


def conditional_response(if_none_match: str, encoded: EncodedBody) -> Response:
    """200 with the body, or 304 when the client's ``If-None-Match`` names its ETag."""
    headers = {"ETag": encoded.etag, "Cache-Control": PUBLIC_CACHE_CONTROL}
    if _not_modified(if_none_match, encoded):
        return Response(status_code=304, headers=headers)
    return Response(encoded.body, media_type="application/json", headers=headers)


async def send_answer(if_none_match: str, hit: Hit, send) -> None:
    """The same answer as ``conditional_response``, sent as raw ASGI messages: on the hot
    path, building a Response object costs more than the rest of the request."""
    encoded = hit.encoded
    stale = [(b"cache-status", STALE_CACHE_STATUS.encode())] if hit.stale else []
    if _not_modified(if_none_match, encoded):
        await send({"type": "http.response.start", "status": 304, "headers": encoded.validators + stale})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": encoded.raw_headers + stale})
    await send({"type": "http.response.body", "body": encoded.body})


class ReadCache:
    """Answers by URL (path and query string). The first request for a URL goes through
    routing and validation and ``produce``; later ones are answered by ``hit`` in the
    middleware, before any routing, as long as their dataset's version holds."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, check_seconds: float, max_entries: int = 4096
    ) -> None:
        self._sessionmaker = sessionmaker
        self._check_seconds = check_seconds
        self._max_entries = max_entries
        self._versions: dict[str, int] = {}
        self._checked_at = float("-inf")
        self._unreachable = False
        self._refreshing: asyncio.Future | None = None
        self._producing: dict[tuple[str, bytes], asyncio.Future] = {}
        self._answers: OrderedDict[tuple[str, bytes], _Answer] = OrderedDict()

    async def hit(self, path: str, query: bytes) -> Hit | None:
        """The answer for a URL answered before under the current version."""
        answer = self._answers.get((path, query))
        if answer is None or answer.version != await self._version(answer.dataset):
            return None
        if wall_clock() >= answer.until:
            return None
        self._answers.move_to_end((path, query))
        return Hit(answer.route, answer.encoded, stale=self._unreachable)

    async def respond(
        self, request: Request, dataset: str, produce: Callable[[AsyncSession], Awaitable[Any]]
    ) -> Response:
        """Produce the answer for this URL (in a session of its own) and keep it.

        Concurrent first requests for one URL share a single production."""
        key = (request.url.path, request.scope.get("query_string", b""))
        pending = self._producing.get(key)
        if pending is None:
            pending = self._producing[key] = asyncio.ensure_future(
                self._produce(key, dataset, produce, request.scope)
            )
        encoded = await pending
        return conditional_response(request.headers.get("if-none-match", ""), encoded)

    async def _produce(self, key, dataset: str, produce, scope) -> EncodedBody:
        try:
            version = await self._version(dataset)
            until = _next_midnight(wall_clock())
            async with self._sessionmaker() as session:
                encoded = encode(await produce(session))
            route = route_template(scope) or "unmatched"
            self._answers[key] = _Answer(dataset, version, route, encoded, until)
            if len(self._answers) > self._max_entries:
                self._answers.popitem(last=False)
            return encoded
        finally:
            del self._producing[key]

    async def _version(self, dataset: str) -> int:
        if time.monotonic() - self._checked_at >= self._check_seconds:
            # One query for everyone waiting: under load, a query per request would queue
            # them all behind the connection pool.
            if self._refreshing is None:
                self._refreshing = asyncio.ensure_future(self._refresh_versions())
            # While the database is unreachable nobody waits for the next try, which may hang
            # until a connect timeout: the last version seen stands until it answers.
            if not self._unreachable:
                await self._refreshing
        return self._versions.get(dataset, 0)

    async def _refresh_versions(self) -> None:
        try:
            async with self._sessionmaker() as session:
                rows = await session.execute(select(CacheVersion.name, CacheVersion.version))
                self._versions = dict(rows.all())
            if self._unreachable:
                log.warning("the database answers again: public reference data is checked as before")
            self._unreachable = False
        except Exception as error:
            never_checked = self._checked_at == float("-inf")
            if never_checked or unavailability(error) is None:
                raise
            if not self._unreachable:
                log.warning("the database is unreachable: public reference data served from memory (%s)", error)
            self._unreachable = True
        finally:
            self._checked_at = time.monotonic()
            self._refreshing = None


async def bump(session: AsyncSession, *datasets: str) -> None:
    """Make every worker drop what it keeps of ``datasets`` (after this transaction commits)."""
    insert = upsert_statement(session, CacheVersion)
    await session.execute(
        insert.values([{"name": name, "version": 1} for name in datasets]).on_conflict_do_update(
            index_elements=[CacheVersion.name], set_={"version": CacheVersion.version + 1}
        )
    )


def route_template(scope: dict) -> str | None:
    """The matched path template (``/api/v1/catalog/items/{code}``) of a routed request."""
    # FastAPI keeps the full template of routes from included routers in its scope entry.
    context = scope.get("fastapi", {}).get("effective_route_context")
    if context is not None and getattr(context, "path", ""):
        return context.path
    return getattr(scope.get("route"), "path", None)


async def _read_cache(request: Request) -> ReadCache:
    return request.app.state.read_cache


ReadCacheDep = Annotated[ReadCache, Depends(_read_cache)]
