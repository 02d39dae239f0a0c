"""``Idempotency-Key``: a retried create replays the first response instead of acting twice.

Records are stored per user and key with a fingerprint of the request; the same key with
a different request is refused.
"""

import hashlib
from datetime import datetime
from typing import Annotated, Any

from fastapi import Header
from sqlalchemy import ForeignKey, String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONDocument, UTCDateTime, utcnow
from app.core.errors import AppError, ValidationFailed

# Optional (routes default it to None), but documented as a string only: a header has no null,
# and a client generated from `anyOf: [string, null]` may send the text "null".
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        max_length=128,
        pattern=r"^[A-Za-z0-9._:-]{8,128}$",
        description="重试同一请求时携带相同的值，服务端返回第一次的结果而不会重复创建",
    ),
]


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency.key_reused"
    title = "该 Idempotency-Key 已用于另一个请求"


class IdempotencyInProgress(AppError):
    status = 409
    code = "idempotency.in_progress"
    title = "相同的请求正在处理中，请稍后重试"


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


async def previous_response(
    session: AsyncSession, user_id: str, key: str, request_fingerprint: str
) -> IdempotencyRecord | None:
    record = await session.get(IdempotencyRecord, (user_id, key))
    if record is not None and record.fingerprint != request_fingerprint:
        raise IdempotencyKeyReused()
    return record


async def remember(
    session: AsyncSession, user_id: str, key: str, request_fingerprint: str, status_code: int, body: dict
) -> None:
    try:
        async with session.begin_nested():
            session.add(
                IdempotencyRecord(
                    user_id=user_id,
                    key=key,
                    fingerprint=request_fingerprint,
                    status_code=status_code,
                    body=body,
                )
            )
    except IntegrityError as error:
        # A concurrent request with the same key got there first; this one is undone.
        raise IdempotencyInProgress() from error
