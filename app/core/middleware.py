"""Request id, access log and the last line of defence against unhandled errors.

A pure ASGI middleware rather than ``BaseHTTPMiddleware`` so that streaming bodies are
not buffered and an exception can still be turned into problem+json carrying the id
the client sees in ``X-Request-ID``. No stack trace ever reaches the client.
"""

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import InternalError, problem
from app.core.metrics import observe_request
from app.core.request_context import request_id_var

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.error")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = _accepted_request_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            error_log.exception("unhandled error", extra={"path": scope.get("path")})
            if response_started:
                raise
            await _send_internal_error(send_with_id)
        finally:
            duration = time.perf_counter() - started
            observe_request(scope.get("method", ""), _route_template(scope), status, duration)
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


def _route_template(scope: Scope) -> str:
    """The matched path template (``/api/v1/catalog/items/{code}``), never the raw path,
    so metrics have one series per route and no ids in labels."""
    # FastAPI keeps the full template of routes from included routers in its scope entry.
    context = scope.get("fastapi", {}).get("effective_route_context")
    if context is not None and getattr(context, "path", ""):
        return context.path
    route = scope.get("route")
    return getattr(route, "path", "unmatched")


def _accepted_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            return candidate if _INCOMING_ID.match(candidate) else None
    return None


async def _send_internal_error(send: Send) -> None:
    response = problem(InternalError.status, InternalError.code, InternalError.title)
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:  # pragma: no cover - a response never reads the body
    return {"type": "http.disconnect"}
