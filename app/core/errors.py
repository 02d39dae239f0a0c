"""Domain errors and their rendering as RFC 9457 problem details.

Services raise :class:`AppError` subclasses; nothing else decides what an error looks
like on the wire. Titles are zh-CN because clients show them to users as they are.
"""

import logging
import re
import sqlite3
from dataclasses import dataclass
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.request_context import current_request_id
from app.core.schemas import AppModel
from app.core.validation_messages import summary, translate

PROBLEM_MEDIA_TYPE = "application/problem+json"
# A stable, non-dereferenceable URI per error code (RFC 9457 §3.1.1 allows any URI).
PROBLEM_TYPE_BASE = "urn:msa-one-stop:problem:"
log = logging.getLogger(__name__)


class FieldError(AppModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(AppModel):
    """RFC 9457 problem details, as every error of this API is returned."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str | None
    errors: list[FieldError] | None = None


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


class AppError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "请求无效"
    # True when the request's writes so far must be committed although it fails,
    # e.g. the failure counter of a refused login.
    keep_changes: ClassVar[bool] = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers
        self.extensions = extensions or {}


class NotFound(AppError):
    status = 404
    code = "not_found"
    title = "请求的资源不存在"


class MethodNotAllowed(AppError):
    status = 405
    code = "method_not_allowed"
    title = "不支持该请求方法"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    title = "请求内容过大"


class ValidationFailed(AppError):
    status = 422
    code = "validation_failed"
    title = "提交的内容有误，请检查后重试"


class InvalidInput(ValidationFailed):
    """A rule a schema cannot say, reported like schema errors: per field, in zh-CN."""

    def __init__(self, errors: list[tuple[tuple[str | int, ...], str, str]]) -> None:
        items = [{"loc": list(loc), "msg": msg, "type": kind} for loc, msg, kind in errors]
        super().__init__("；".join(item["msg"] for item in items), extensions={"errors": items})


class ExternalServiceUnavailable(AppError):
    status = 503
    code = "integration.unavailable"
    title = "外部服务暂时不可用，请稍后重试"


class ServiceUnavailable(AppError):
    """A dependency of the service (database, object store) cannot be used right now.

    Nothing was recorded; the client may send the same request again after ``Retry-After``.
    """

    status = 503
    retry_after: ClassVar[int] = 5

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": str(self.retry_after)})


class DatabaseUnavailable(ServiceUnavailable):
    code = "service.unavailable"
    title = "服务暂时不可用，请稍后重试"


class DatabaseBusy(ServiceUnavailable):
    """The database is reachable but every connection (or, on SQLite, the write lock) is taken."""

    code = "service.busy"
    title = "系统繁忙，请稍后重试"
    retry_after = 1


class StorageUnavailable(ServiceUnavailable):
    code = "storage.unavailable"
    title = "文件存储暂时不可用，请稍后重试"


# Every API call needs the database; routes that touch stored files list STORAGE_UNAVAILABLE
# (an operation's 503 examples replace the router's, so it repeats the database ones).
UNAVAILABLE = (DatabaseUnavailable, DatabaseBusy)
STORAGE_UNAVAILABLE = (*UNAVAILABLE, StorageUnavailable)

# SQLite's primary result codes for "another connection holds the lock" (extended codes
# such as SQLITE_BUSY_SNAPSHOT keep them in the low byte).
_SQLITE_LOCK_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def database_fault(error: BaseException) -> ServiceUnavailable | None:
    """The 503 that a database failure amounts to, or None when it is a bug (a 500).

    Failing to connect at all is turned into :class:`DatabaseUnavailable` where connections
    are made (``app.core.db``); this classifies what goes wrong on a connection.
    """
    fault: ServiceUnavailable | None = None
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection became free in time
        fault = DatabaseBusy()
    elif isinstance(error, sa_exc.DBAPIError):
        code = getattr(error.orig, "sqlite_errorcode", None)
        if error.connection_invalidated:
            fault = DatabaseUnavailable()
        elif code is not None and code & 0xFF in _SQLITE_LOCK_CODES:
            fault = DatabaseBusy()
    if fault is not None:
        fault.__cause__ = error
    return fault


def unavailability(error: BaseException) -> ServiceUnavailable | None:
    """The 503 an exception stands for, if any: used by the handlers and the last-resort middleware."""
    if isinstance(error, ServiceUnavailable):
        return error
    return database_fault(error)


def unavailable_problem(error: ServiceUnavailable) -> ProblemResponse:
    # Operators need the cause, once per request and without a traceback (an outage would
    # bury everything else); clients get the stable code and when to retry.
    cause = error.__cause__
    log.warning(
        "service unavailable: %s",
        error.code,
        extra={"cause": f"{type(cause).__name__}: {cause}" if cause is not None else None},
    )
    return problem(error.status, error.code, error.title, error.detail, headers=error.headers)


class InternalError(AppError):
    status = 500
    code = "internal_error"
    title = "服务器内部错误，请稍后重试"


# Starlette raises HTTPException for routing and protocol failures; map them to codes.
_HTTP_STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求无效"),
    404: (NotFound.code, NotFound.title),
    405: (MethodNotAllowed.code, MethodNotAllowed.title),
    406: ("not_acceptable", "无法提供所请求的内容格式"),
    413: (PayloadTooLarge.code, PayloadTooLarge.title),
    415: ("unsupported_media_type", "不支持的内容类型"),
}


def problem(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> ProblemResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail or title,
        "code": code,
        "request_id": current_request_id(),
    }
    if errors is not None:
        body["errors"] = errors
    body.update(jsonable_encoder(extensions or {}))
    return ProblemResponse(body, status_code=status, headers=headers)


async def _app_error(_: Request, exc: AppError) -> ProblemResponse:
    return problem(
        exc.status, exc.code, exc.title, exc.detail, headers=exc.headers, extensions=exc.extensions
    )


async def _service_unavailable(_: Request, exc: ServiceUnavailable) -> ProblemResponse:
    return unavailable_problem(exc)


async def _database_error(_: Request, exc: Exception) -> ProblemResponse:
    fault = database_fault(exc)
    if fault is None:
        raise exc  # a bug, not an outage: the last-resort middleware answers 500 and logs it
    return unavailable_problem(fault)


# FastAPI's answer to a body it cannot decode at all (e.g. not UTF-8), which is bad input like any other.
_UNPARSABLE_BODY = "There was an error parsing the body"
_UNPARSABLE_BODY_ERROR = {
    "loc": ["body"],
    "msg": "请求内容无法解析，请提交 UTF-8 编码的 JSON",
    "type": "body_unparsable",
}


_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options"})


@dataclass(frozen=True)
class _Resource:
    pattern: re.Pattern[str]
    literal: bool
    methods: frozenset[str]


def _resources(app: FastAPI) -> list[_Resource]:
    """The document's paths as patterns, built once per app (routers nest, the document does not)."""
    if not hasattr(app.state, "documented_resources"):
        app.state.documented_resources = [
            _Resource(
                re.compile("^" + "[^/]+".join(map(re.escape, re.split(r"\{[^}]+\}", path))) + "$"),
                "{" not in path,
                frozenset(method.upper() for method in item if method in _HTTP_METHODS),
            )
            for path, item in app.openapi()["paths"].items()
        ]
    return app.state.documented_resources


def _resources_at(request: Request) -> list[_Resource]:
    """The documented resources at this URL; a literal path (``/me/materials/quota``) outranks a template."""
    matching = [resource for resource in _resources(request.app) if resource.pattern.match(request.url.path)]
    literal = [resource for resource in matching if resource.literal]
    return literal or matching


def _method_not_allowed(request: Request, headers: dict[str, str] | None = None) -> ProblemResponse:
    """405 naming every method of the resource (Starlette names only the first route it meets)."""
    allowed = sorted({method for resource in _resources_at(request) for method in resource.methods})
    if allowed:
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
    return problem(MethodNotAllowed.status, MethodNotAllowed.code, MethodNotAllowed.title, headers=headers)


async def _http_error(request: Request, exc: StarletteHTTPException) -> ProblemResponse:
    if exc.status_code == MethodNotAllowed.status:
        return _method_not_allowed(request, getattr(exc, "headers", None))
    if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
        return _validation_problem([_UNPARSABLE_BODY_ERROR])
    code, title = _HTTP_STATUS_ERRORS.get(exc.status_code, ("http_error", "请求无法处理"))
    return problem(exc.status_code, code, title, headers=getattr(exc, "headers", None))


def _is_literal_path_with_other_methods(request: Request, errors: list[dict[str, Any]]) -> bool:
    """``DELETE /me/materials/quota`` reaches ``DELETE /me/materials/{id}`` and fails the id's
    pattern; but the URL names the quota resource, which has no DELETE."""
    if not all(error["loc"][:1] == ["path"] for error in errors):
        return False
    return any(resource.literal for resource in _resources_at(request))


async def _validation_error(request: Request, exc: RequestValidationError) -> ProblemResponse:
    errors = [translate(error) for error in exc.errors()]
    if _is_literal_path_with_other_methods(request, errors):
        return _method_not_allowed(request)
    return _validation_problem(errors)


def _validation_problem(errors: list[dict[str, Any]]) -> ProblemResponse:
    detail = summary(errors)
    return problem(
        ValidationFailed.status, ValidationFailed.code, ValidationFailed.title, detail, errors=errors
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(ServiceUnavailable, _service_unavailable)
    app.add_exception_handler(sa_exc.DBAPIError, _database_error)
    app.add_exception_handler(sa_exc.TimeoutError, _database_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


def error_responses(*errors: type[AppError], validation: bool = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the given errors, one example per code.

    The examples are declared under ``application/json`` because that is where FastAPI
    puts the model's schema; ``app.core.openapi`` moves both to problem+json.
    """
    by_status: dict[int, list[type[AppError]]] = {}
    for error in (*errors, *((ValidationFailed,) if validation else ())):
        by_status.setdefault(error.status, []).append(error)
    return {
        status: {
            "model": Problem,
            "description": "；".join(e.title for e in group),
            "content": {
                "application/json": {
                    "examples": {e.code: {"summary": e.title, "value": example(e)} for e in group}
                }
            },
        }
        for status, group in by_status.items()
    }


def example(error: type[AppError]) -> dict[str, Any]:
    return {
        "type": PROBLEM_TYPE_BASE + error.code,
        "title": error.title,
        "status": error.status,
        "detail": error.title,
        "code": error.code,
        "request_id": "5f0c3e5a9b7d4c1e8a2b6d4f0e1c3a5b",
    }


COMMON_ERROR_RESPONSES = error_responses(InternalError, *UNAVAILABLE, validation=False)
