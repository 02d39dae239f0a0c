"""Bulk load of pushed certificates (首次导入与对账): NDJSON in, one certificate per line.

The endpoint (``POST /registry/certificates/bulk``) and the ``certificates-load`` command share
:func:`load`: it reads the body as a stream of byte chunks, validates each line wholly, applies
the valid ones in batches of :data:`BATCH_SIZE` through the same primitive as a single push
(:func:`app.certificates.registry.apply_pushes`) and commits after every batch, so whatever was
committed stays when the stream breaks. A line is applied entirely or refused entirely:

- refused before the database sees it when it is not JSON, too long, or fails the schema;
- refused by the primitive, which writes nothing of it, for what only the database knows (an
  unknown agency, a number another certificate holds, a known version with other content);
- should the database still refuse a batch (a concurrent load took a number first), the batch
  is retried line by line, each in a savepoint of its own.

Resuming: ``from_line=N`` skips the first N lines, so a sender whose load broke resends the same
file with the ``last_committed_line`` it was told (or reads it from the server's log); sending
the whole file again is harmless anyway (idempotent by registry id and source version).
"""

import asyncio
import json
import logging
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import StreamingResponse

from app.audit import service as audit
from app.certificates.registry import PushOutcome, apply_pushes, prepared
from app.certificates.schemas import CertificatePush, PlainCertificatePush
from app.core.config import MIB
from app.core.db import release_before_waiting
from app.core.errors import AppError
from app.core.pii import PersonalDataCipher
from app.core.validation_messages import translate
from app.integrations.storage.base import ObjectStorage

MEDIA_TYPE = "application/x-ndjson"
BATCH_SIZE = 2000
# While a batch is written, the event loop gets a turn every this many lines read.
YIELD_EVERY = 25
# A line holds one certificate; with its photo (≤ 200 kB, base64) it stays well under this.
MAX_LINE_BYTES = 512 * 1024
# The request body's ceiling (the route's max_body_size): about four million certificates
# without photos. Larger files are sent in parts (from_line).
MAX_BODY_BYTES = 4096 * MIB

log = logging.getLogger(__name__)

_LINE = TypeAdapter(CertificatePush)
_PLAIN_LINE = TypeAdapter(PlainCertificatePush)
_ANY_OBJECT = TypeAdapter(dict[str, Any])


class LineTooLong(AppError):
    code = "bulk.line_too_long"
    title = f"该行超过 {MAX_LINE_BYTES // 1024} KB"


class BlankLine(AppError):
    code = "bulk.blank_line"
    title = "空行"


@dataclass
class Refusal:
    """One refused line of the input, as the report gives it."""

    line: int
    registry_id: str | None
    errors: list[dict[str, str]]

    def as_report(self) -> dict[str, Any]:
        return {"line": self.line, "registry_id": self.registry_id, "errors": self.errors}


@dataclass
class Summary:
    accepted: int = 0
    unchanged: int = 0
    refused: int = 0
    last_committed_line: int = 0

    def as_report(self) -> dict[str, Any]:
        return {
            "summary": {
                "accepted": self.accepted,
                "unchanged": self.unchanged,
                "refused": self.refused,
                "last_committed_line": self.last_committed_line,
            }
        }


OnRefused = Callable[[Refusal], Awaitable[None] | None]
OnCommitted = Callable[[Summary], Awaitable[None] | None]


async def lines(
    chunks: AsyncIterable[bytes], *, max_line: int = MAX_LINE_BYTES
) -> AsyncIterator[bytes | None]:
    """The lines of a byte stream, without their ``\\n`` (a trailing ``\\r`` is dropped too);
    ``None`` for a line longer than ``max_line``, whose bytes are skipped, never held."""
    pending = bytearray()
    skipping = False
    async for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                if not skipping:
                    pending += chunk[start:]
                    if len(pending) > max_line:
                        pending.clear()
                        skipping = True
                break
            if skipping:
                skipping = False
                yield None
            else:
                pending += chunk[start:end]
                if len(pending) > max_line:
                    yield None
                else:
                    yield bytes(pending.removesuffix(b"\r"))
                pending.clear()
            start = end + 1
    if skipping:
        yield None
    elif pending.strip():
        yield bytes(pending.removesuffix(b"\r"))


def _field(loc: Sequence[str | int]) -> str:
    """``holder.id_number``; the ``body`` a request error starts with is the line itself here."""
    parts = list(loc[1:] if loc[:1] == ["body"] or tuple(loc[:1]) == ("body",) else loc)
    return ".".join(str(part) for part in parts)


def _schema_errors(error: ValidationError) -> list[dict[str, str]]:
    errors = []
    for item in error.errors():
        translated = translate(item)
        errors.append(
            {"code": translated["type"], "title": translated["msg"], "field": _field(translated["loc"])}
        )
    return errors


def _domain_errors(error: AppError) -> list[dict[str, str]]:
    """An error the primitive raised for one push: its field errors when it names fields."""
    items = error.extensions.get("errors") if error.extensions else None
    if items:
        return [{"code": item["type"], "title": item["msg"], "field": _field(item["loc"])} for item in items]
    return [{"code": error.code, "title": error.title, "field": ""}]


def _registry_id_of(raw: bytes) -> str | None:
    """The registry id of a refused line, when it can be read, for the report."""
    try:
        value = _ANY_OBJECT.validate_json(raw).get("registry_id")
    except ValidationError:
        return None
    return value if isinstance(value, str) and len(value) <= 64 else None


async def _maybe_await(result: Awaitable[None] | None) -> None:
    if result is not None:
        await result


async def load(
    session: AsyncSession,
    pii: PersonalDataCipher,
    storage: ObjectStorage,
    chunks: AsyncIterable[bytes],
    *,
    from_line: int = 0,
    on_refused: OnRefused,
    on_committed: OnCommitted | None = None,
    batch_size: int = BATCH_SIZE,
) -> Summary:
    """Load the NDJSON ``chunks`` into ``session``'s database, committing after every batch.

    ``on_refused`` is called for every refused line, ``on_committed`` after every commit with
    the running summary. Lines before ``from_line`` are skipped unread.

    One batch is written while the next is read and validated (the database works while this
    process parses), never more: memory holds at most two batches. When the stream breaks, the
    batch being written is still committed (its lines were whole), the one being read is not.
    """
    summary = Summary(last_committed_line=from_line)
    # (line number, push, its holder key and digest): computed as the line is read, while the
    # database writes the batch before, rather than when the batch is written.
    batch: list[tuple[int, CertificatePush, tuple[str, str]]] = []
    in_batch: set[str] = set()
    writing: asyncio.Future[None] | None = None
    number = 0

    async def written() -> None:
        nonlocal writing
        if writing is not None:
            task, writing = writing, None
            await task

    async def write(taken: list[tuple[int, CertificatePush, tuple[str, str]]], upto: int) -> None:
        if taken:
            await _apply(session, pii, storage, taken, summary, on_refused)
        await release_before_waiting(session)
        summary.last_committed_line = upto
        if on_committed is not None:
            await _maybe_await(on_committed(summary))

    async def apply_batch(upto: int) -> None:
        nonlocal writing
        await written()
        writing = asyncio.ensure_future(write(list(batch), upto))
        batch.clear()
        in_batch.clear()

    try:
        async for raw in lines(chunks):
            number += 1
            if number <= from_line:
                continue
            if writing is not None and number % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # let the batch being written talk to the database
            if raw is None:
                await _refuse(summary, on_refused, Refusal(number, None, [_error(LineTooLong())]))
                continue
            if not raw or raw.isspace():  # raw.strip() is empty, without copying the line
                continue  # NDJSON allows blank lines; they are neither applied nor refused
            try:
                push = (_LINE if b"\\" in raw or b"\x7f" in raw else _PLAIN_LINE).validate_json(raw)
            except ValidationError as error:
                refusal = Refusal(number, _registry_id_of(raw), _schema_errors(error))
                await _refuse(summary, on_refused, refusal)
                continue
            if push.registry_id in in_batch:
                # The same certificate again: what came before it is applied first, so lines
                # take effect in file order whatever the batch size (v1 then v2: both accepted;
                # v2 then v1: v1 is unchanged) and the report does not depend on batch ends.
                await apply_batch(number - 1)
            batch.append((number, push, prepared(pii, push)))
            in_batch.add(push.registry_id)
            if len(batch) >= batch_size:
                await apply_batch(number)
        await apply_batch(max(number, from_line))
        await written()
    except BaseException:
        if writing is not None:
            await asyncio.shield(writing)  # a whole batch: committed, and counted as such
        raise
    return summary


def _error(error: AppError) -> dict[str, str]:
    return {"code": error.code, "title": error.title, "field": ""}


async def _refuse(summary: Summary, on_refused: OnRefused, refusal: Refusal) -> None:
    summary.refused += 1
    await _maybe_await(on_refused(refusal))


def _counted(summary: Summary, outcome: PushOutcome) -> bool:
    """Count an outcome that is not a refusal; False for a refusal."""
    if outcome.refusal is not None:
        return False
    if outcome.applied and outcome.changed:
        summary.accepted += 1
    else:
        summary.unchanged += 1
    return True


async def _apply(
    session: AsyncSession,
    pii: PersonalDataCipher,
    storage: ObjectStorage,
    batch: list[tuple[int, CertificatePush, tuple[str, str]]],
    summary: Summary,
    on_refused: OnRefused,
) -> None:
    """Apply the batch at once. The primitive refuses pushes one by one (an unknown agency, a
    number another certificate holds) and writes the rest; should the database still refuse the
    batch (a concurrent load took a number first), it is retried line by line."""
    pushes = [push for _, push, _ in batch]
    try:
        async with session.begin_nested():
            outcomes = await apply_pushes(session, pii, pushes, storage=storage, computed=[c for _, _, c in batch])
    except IntegrityError as error:
        log.info("bulk batch refused by the database (%s); applying its %d lines one by one", error, len(pushes))
    else:
        for (number, push, _), outcome in zip(batch, outcomes, strict=True):
            if not _counted(summary, outcome):
                await _settle(summary, on_refused, number, push, outcome)
        return
    for number, push, computed in batch:
        try:
            async with session.begin_nested():
                (outcome,) = await apply_pushes(session, pii, [push], storage=storage, computed=[computed])
        except IntegrityError:
            conflict = {"code": "bulk.conflict", "title": "与同时写入的证照冲突，请重新提交该行", "field": ""}
            await _refuse(summary, on_refused, Refusal(number, push.registry_id, [conflict]))
        else:
            await _settle(summary, on_refused, number, push, outcome)


async def _settle(
    summary: Summary, on_refused: OnRefused, number: int, push: CertificatePush, outcome: PushOutcome
) -> None:
    if not _counted(summary, outcome):
        await _refuse(summary, on_refused, Refusal(number, push.registry_id, _domain_errors(outcome.refusal)))


class NotNdjson(AppError):
    status = 415
    code = "bulk.not_ndjson"
    title = "请以 application/x-ndjson 提交，每行一个证照"


REPORT_SPOOL_BYTES = 1 * MIB
_REPORT_CHUNK = 64 * 1024


async def load_request(
    session: AsyncSession,
    pii: PersonalDataCipher,
    storage: ObjectStorage,
    request: Request,
    *,
    from_line: int,
    actor_id: str,
    ip: str | None,
) -> AsyncIterator[bytes]:
    """Load the request's NDJSON body; the report, to stream back once the body is read.

    The refused lines are kept in a spooled temporary file (in memory up to 1 MiB, then on
    disk), so neither the body nor the report is ever held whole. The report is sent after the
    body has been read: an HTTP client sends its whole request before it reads the answer.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != MEDIA_TYPE:
        raise NotNdjson()
    report = tempfile.SpooledTemporaryFile(max_size=REPORT_SPOOL_BYTES)  # noqa: SIM115 (closed by the stream)

    def write(refusal: Refusal) -> None:
        report.write(_json_line(refusal.as_report()))

    summary = Summary(last_committed_line=from_line)

    def committed(progress: Summary) -> None:
        summary.last_committed_line = progress.last_committed_line

    try:
        summary = await load(
            session, pii, storage, request.stream(), from_line=from_line, on_refused=write, on_committed=committed
        )
    except BaseException:
        report.close()
        log.warning("bulk load broken off; lines up to %d are committed", summary.last_committed_line)
        raise
    record(session, summary, from_line=from_line, actor_id=actor_id, ip=ip)
    return _stream(report, summary)


def record(
    session: AsyncSession,
    summary: Summary,
    *,
    from_line: int,
    actor_id: str | None = None,
    ip: str | None = None,
    via: str | None = None,
) -> None:
    """One audit event per load (a line is no event of its own: a million would drown the trail)."""
    detail: dict[str, Any] = {**summary.as_report()["summary"], "from_line": from_line}
    if via is not None:
        detail["via"] = via
    audit.record(
        session, "certificate.bulk_load", "success", actor_id=actor_id, ip=ip, object_type="certificate", detail=detail
    )


async def _stream(report: IO[bytes], summary: Summary) -> AsyncIterator[bytes]:
    try:
        report.seek(0)
        while chunk := report.read(_REPORT_CHUNK):
            yield chunk
        yield _json_line(summary.as_report())
    finally:
        report.close()


def _json_line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


class NdjsonResponse(StreamingResponse):
    media_type = MEDIA_TYPE


# What the OpenAPI document says of the body and the report (an NDJSON body has no JSON Schema
# of its own: each line's schema is given as `x-line-schema`, as OpenAPI 3.2's itemSchema would).
_ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "title", "field"],
    "properties": {
        "code": {"type": "string", "description": "稳定的错误码（如 `literal_error`、`unknown_agency`）"},
        "title": {"type": "string", "description": "中文说明"},
        "field": {"type": "string", "description": "出错的字段（如 `holder.id_number`）；整行的问题为空字符串"},
    },
}
REPORT_LINE_SCHEMA = {
    "oneOf": [
        {
            "title": "被拒绝的行",
            "type": "object",
            "required": ["line", "registry_id", "errors"],
            "properties": {
                "line": {"type": "integer", "minimum": 1, "description": "请求体中的行号（从 1 起）"},
                "registry_id": {"type": ["string", "null"], "description": "该行的 registry_id（能读出时）"},
                "errors": {"type": "array", "minItems": 1, "items": _ERROR_SCHEMA},
            },
        },
        {
            "title": "汇总（最后一行）",
            "type": "object",
            "required": ["summary"],
            "properties": {
                "summary": {
                    "type": "object",
                    "required": ["accepted", "unchanged", "refused", "last_committed_line"],
                    "properties": {
                        "accepted": {"type": "integer", "minimum": 0, "description": "新增或更新的证照数"},
                        "unchanged": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "未改变的行数（版本低于已存版本，或与已存内容相同的重复推送）",
                        },
                        "refused": {"type": "integer", "minimum": 0, "description": "被拒绝的行数"},
                        "last_committed_line": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "已提交的最后一行的行号；中断后以 `from_line` 为此值重发同一文件即可续传",
                        },
                    },
                }
            },
        },
    ]
}
def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON Schema with its ``$defs`` put in place: one self-contained schema."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref", "")
            if reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "description": "NDJSON：每行一个证照（`CertificatePush`，含 `registry_id`），UTF-8，行以 `\\n` 分隔；"
        f"空行忽略；单行不超过 {MAX_LINE_BYTES // 1024} KB，请求体不超过 {MAX_BODY_BYTES // MIB // 1024} GB。",
        "content": {
            MEDIA_TYPE: {
                "schema": {"type": "string", "format": "binary"},
                "x-line-schema": _inlined(_LINE.json_schema()),
            }
        },
    }
}
REPORT_RESPONSE = {
    "description": "NDJSON 报告：每个被拒绝的行一行，最后一行为汇总",
    "content": {
        MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}, "x-line-schema": REPORT_LINE_SCHEMA}
    },
}
