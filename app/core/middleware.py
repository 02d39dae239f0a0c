"""Request id, access log and the last line of defence against unhandled errors.

A pure ASGI middleware rather than ``BaseHTTPMiddleware`` so that streaming bodies are
not buffered and an exception can still be turned into problem+json carrying the id
the client sees in ``X-Request-ID``. No stack trace ever reaches the client.
"""

import logging
import os
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.client_address import resolve_client
from app.core.db import READ_METHODS, WRITE_LOCK_ON_BEGIN, RunAgainWithWriteLock
from app.core.errors import (
    AppError,
    InternalError,
    PayloadTooLarge,
    problem,
    unavailability,
    unavailable_problem,
)
from app.core.metrics import observe_request
from app.core.read_cache import route_template, send_answer
from app.core.request_context import request_id_var
from app.core.security_headers import SecurityHeaders

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.error")
log = logging.getLogger(__name__)


class RequestContextMiddleware:
    """Request id, security headers, access log and metrics: one layer for all of them, since
    every layer costs each request its share."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.security_headers = SecurityHeaders(hsts=hsts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                resolve_client(scope, scope["app"].state.settings.trusted_proxies)
            await self.app(scope, receive, send)
            return

        # First of all: everything after (limits, audit, logs) sees the client, not the proxy.
        resolve_client(scope, scope["app"].state.settings.trusted_proxies)
        request_id = _accepted_request_id(scope) or os.urandom(16).hex()  # as uuid4().hex, cheaper
        security = self.security_headers.for_path(scope["path"])
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = message.get("headers", [])
                present = {name for name, _ in headers}
                extra = [pair for pair in security if pair[0] not in present]
                message["headers"] = [*headers, *extra, (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            if not await _answer_from_memory(scope, send_with_id):
                await _run_once_more_if_read_lost_race(
                    self.app, scope, receive, _body_limit_as_problem(send_with_id)
                )
        except Exception as error:
            # Also reached by outages outside routing (the read cache asks the database).
            fault = unavailability(error)
            if fault is None:
                error_log.exception("unhandled error", extra={"path": scope.get("path")})
            if response_started:
                raise
            await _send_error(send_with_id, fault)
        finally:
            duration = time.perf_counter() - started
            # The template, never the raw path: one series per route and no ids in labels.
            route = scope.get("cached_route") or route_template(scope) or "unmatched"
            observe_request(scope.get("method", ""), route, status, duration)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "request",
                    extra={
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "duration_ms": round(duration * 1000, 2),
                    },
                )
            request_id_var.reset(token)


async def _run_once_more_if_read_lost_race(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run a GET or HEAD again, from the start and holding SQLite's write lock from its first
    statement, when its first run wanted to write but lost the race for the lock (see
    app.core.db): its transaction was rolled back, so nothing of that run remains (audit events
    included), and nothing was sent (request transactions end before the response starts).
    Inside the access log and the metrics, which see one request."""
    # An app that was not started has no database at all.
    if scope["method"] not in READ_METHODS or not getattr(scope["app"].state, "reads_may_run_again", False):
        await app(scope, receive, send)  # nothing to keep for a second run that cannot happen
        return
    first_scope = dict(scope)  # routing and FastAPI leave their state in the scope
    first_state = dict(scope["state"]) if "state" in scope else None
    received: list[Message] = []  # a GET may come with a body after all: replayed, never lost
    response_started = False

    async def receive_and_keep() -> Message:
        message = await receive()
        received.append(message)
        return message

    async def watched_send(message: Message) -> None:
        nonlocal response_started
        response_started = response_started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, receive_and_keep, watched_send)
        return
    except RunAgainWithWriteLock:
        if response_started:  # cannot happen while SessionDep ends before the response
            raise
    log.info("read request run again holding the write lock", extra={"path": scope.get("path")})
    scope.clear()
    scope.update(first_scope)
    if first_state is not None:
        scope["state"] = first_state
    scope[WRITE_LOCK_ON_BEGIN] = True
    replay = iter(received)

    async def receive_again() -> Message:
        return next(replay, None) or await receive()

    await app(scope, receive_again, send)


async def _answer_from_memory(scope: Scope, send: Send) -> bool:
    """Public reference data answered before, sent again without routing (see read_cache)."""
    if scope["method"] != "GET":
        return False
    read_cache = getattr(scope["app"].state, "read_cache", None)
    hit = await read_cache.hit(scope["path"], scope["query_string"]) if read_cache is not None else None
    if hit is None:
        return False
    scope["cached_route"] = hit.route
    if_none_match = next((v.decode("latin-1") for n, v in scope["headers"] if n == b"if-none-match"), "")
    await send_answer(if_none_match, hit, send)
    return True


def _accepted_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            return candidate if _INCOMING_ID.match(candidate) else None
    return None


async def _send_error(send: Send, fault) -> None:
    if fault is not None:
        await _send_response(unavailable_problem(fault), send)
    else:
        await _send_problem(InternalError, send)


def _body_limit_as_problem(send: Send) -> Send:
    """Starlette answers a Content-Length over the limit itself, in plain text, past the
    handlers; that answer goes out as the problem+json every other refusal is."""
    replaced = False

    async def send_problem_instead(message: Message) -> None:
        nonlocal replaced
        if replaced:
            return  # the rest of the plain-text answer
        if _is_plain_body_limit_answer(message):
            replaced = True
            await _send_problem(PayloadTooLarge, send)
            return
        await send(message)

    return send_problem_instead


def _is_plain_body_limit_answer(message: Message) -> bool:
    """Starlette's own 413 for a Content-Length over the limit, which bypasses the handlers."""
    if message["type"] != "http.response.start" or message["status"] != PayloadTooLarge.status:
        return False
    content_type = dict(message.get("headers", [])).get(b"content-type", b"")
    return content_type.startswith(b"text/plain")


async def _send_problem(error: type[AppError], send: Send) -> None:
    await _send_response(problem(error.status, error.code, error.title), send)


async def _send_response(response, send: Send) -> None:
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:  # pragma: no cover - a response never reads the body
    return {"type": "http.disconnect"}
