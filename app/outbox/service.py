"""The transactional outbox: a domain announces an event in the same transaction as its change."""

import json
import secrets
import time
from typing import Any

import uuid6
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.outbox.models import OutboxEvent


def publish(
    session: AsyncSession,
    event_type: str,
    *,
    subject_id: str,
    agency_code: str | None,
    data: dict[str, Any],
) -> OutboxEvent:
    """Adds the event to the caller's transaction: it exists if and only if the change commits.
    No statement of its own: the insert goes out with the transaction's next flush."""
    event = OutboxEvent(
        type=event_type, subject_id=subject_id, agency_code=agency_code, data=data, occurred_at=utcnow()
    )
    session.add(event)
    return event


async def publish_many(session: AsyncSession, events: list[tuple[str, str, str | None, dict[str, Any] | str]]) -> None:
    """``publish`` for a batch (a bulk load's thousands of changes): ``(event_type, subject_id,
    agency_code, data)`` each (``data`` a dict, or its JSON text already), inserted in the
    caller's transaction, their ids time-ordered in the order given. On PostgreSQL by COPY (the
    rows go out in PostgreSQL's binary format, parsed by no statement), which needs the
    caller's transaction begun: its first statement has been sent (a bulk load's SELECT)."""
    if not events:
        return
    now = utcnow()
    ids = time_ordered_ids(len(events))
    if session.get_bind().dialect.name == "postgresql":
        connection = await (await session.connection()).get_raw_connection()
        await connection.driver_connection.copy_records_to_table(
            "outbox_events",
            columns=("id", "type", "subject_id", "agency_code", "data", "occurred_at"),
            records=[
                (id_, kind, subject, agency, data if isinstance(data, str) else _json(data), now)
                for id_, (kind, subject, agency, data) in zip(ids, events, strict=True)
            ],
        )
        return
    await session.execute(
        insert(OutboxEvent),
        [
            {
                "id": id_,
                "type": kind,
                "subject_id": subject,
                "agency_code": agency,
                "data": json.loads(data) if isinstance(data, str) else data,
                "occurred_at": now,
            }
            for id_, (kind, subject, agency, data) in zip(ids, events, strict=True)
        ],
    )


_json = json.JSONEncoder(ensure_ascii=False).encode

# UUIDv7 with a counter in its 12 bits after the timestamp (RFC 9562 § 6.2, method 1).
_PER_MILLISECOND = 4096


def time_ordered_ids(count: int) -> list[str]:
    """``count`` UUIDv7 ids (as ``new_id`` gives them) in increasing order, after every id this
    process made before and before every id it makes next: one millisecond (a few for more than
    4,096) counted through, from the one ``uuid6.uuid7`` would have taken next; a fifth of the
    cost of ``new_id`` each, which a bulk load makes two of per certificate."""
    if count <= 0:
        return []
    first = time.time_ns() // 1_000_000
    last = getattr(uuid6, "_last_v7_timestamp", None)  # uuid6.uuid7's last millisecond
    if last is not None and first <= last:
        first = last + 1
    uuid6._last_v7_timestamp = first + (count - 1) // _PER_MILLISECOND
    version_and_variant = (0x7 << 76) | (0x2 << 62)
    random = secrets.token_bytes(8 * count)  # 62 random bits each, read at once
    ids = []
    for n in range(count):
        value = ((first + n // _PER_MILLISECOND) << 80) | version_and_variant | ((n % _PER_MILLISECOND) << 64)
        value |= int.from_bytes(random[8 * n : 8 * n + 8]) & _RANDOM_BITS
        text = f"{value:032x}"
        ids.append(f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}")
    return ids


_RANDOM_BITS = (1 << 62) - 1
