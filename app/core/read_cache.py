"""Public reference data served from memory: agencies, catalog, guides, pick lists, help.

Each answer is kept encoded, with its ETag, per dataset version and URL. A hit needs neither
a database session nor JSON encoding. The versions live in the database: the seed command
bumps them, and every worker notices within ``READ_CACHE_CHECK_SECONDS`` and starts afresh.
"""

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, upsert_statement

PUBLIC_CACHE_CONTROL = "public, max-age=300"
DATASETS = ("agencies", "catalog", "reference", "help")


class CacheVersion(Base):
    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


@dataclass(frozen=True)
class EncodedBody:
    body: bytes
    etag: str


@dataclass(frozen=True)
class _Answer:
    dataset: str
    version: int
    route: str
    encoded: EncodedBody


def encode(payload: Any) -> EncodedBody:
    body = json.dumps(jsonable_encoder(payload), ensure_ascii=False, separators=(",", ":")).encode()
    return EncodedBody(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def conditional_response(if_none_match: str, encoded: EncodedBody) -> Response:
    """200 with the body, or 304 when the client's ``If-None-Match`` names its ETag."""
    headers = {"ETag": encoded.etag, "Cache-Control": PUBLIC_CACHE_CONTROL}
    if encoded.etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(encoded.body, media_type="application/json", headers=headers)


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
        self._answers: OrderedDict[tuple[str, bytes], _Answer] = OrderedDict()

    async def hit(self, path: str, query: bytes) -> tuple[str, EncodedBody] | None:
        """(route template, answer) for a URL answered before under the current version."""
        answer = self._answers.get((path, query))
        if answer is None or answer.version != await self._version(answer.dataset):
            return None
        self._answers.move_to_end((path, query))
        return answer.route, answer.encoded

    async def respond(
        self, request: Request, dataset: str, produce: Callable[[AsyncSession], Awaitable[Any]]
    ) -> Response:
        """Produce the answer for this URL (in a session of its own) and keep it."""
        version = await self._version(dataset)
        async with self._sessionmaker() as session:
            encoded = encode(await produce(session))
        key = (request.url.path, request.scope.get("query_string", b""))
        self._answers[key] = _Answer(dataset, version, route_template(request.scope) or "unmatched", encoded)
        if len(self._answers) > self._max_entries:
            self._answers.popitem(last=False)
        return conditional_response(request.headers.get("if-none-match", ""), encoded)

    async def _version(self, dataset: str) -> int:
        now = time.monotonic()
        if now - self._checked_at >= self._check_seconds:
            async with self._sessionmaker() as session:
                self._versions = dict(
                    (await session.execute(select(CacheVersion.name, CacheVersion.version))).all()
                )
            self._checked_at = now
        return self._versions.get(dataset, 0)


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
