"""Fixed-window request counters in the database, so every worker process sees the same count."""

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.core.config import Settings
from app.core.db import Base, UTCDateTime, upsert_statement, utcnow
from app.core.errors import AppError

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


class ThrottleCounter(Base):
    __tablename__ = "throttle_counters"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int]


class RateLimited(AppError):
    status = 429
    code = "rate_limited"
    title = "操作过于频繁，请稍后再试"
    # The counters must stay counted, also when the request fails after them (a wrong guess).
    keep_changes = True


async def hit(session: AsyncSession, key: str, *, limit: int, window: timedelta) -> None:
    """Count one request under ``key``; refuse it with 429 once ``limit`` is passed in the window."""
    now = utcnow()
    count, window_start = await _count(session, key, window, now)
    if count > limit:
        raise _refused(window_start + window, now)


async def _count(session: AsyncSession, key: str, window: timedelta, now: datetime) -> tuple[int, datetime]:
    """Add one to ``key`` in the current fixed window (the calendar minute, day …)."""
    window_start = datetime.fromtimestamp(
        now.timestamp() // window.total_seconds() * window.total_seconds(), tz=now.tzinfo
    )
    insert = upsert_statement(session, ThrottleCounter)
    statement = (
        insert.values(key=key, window_start=window_start, count=1)
        .on_conflict_do_update(
            index_elements=[ThrottleCounter.key],
            set_={
                "count": case(
                    (ThrottleCounter.window_start == insert.excluded.window_start, ThrottleCounter.count + 1),
                    else_=1,
                ),
                "window_start": insert.excluded.window_start,
            },
        )
        .returning(ThrottleCounter.count)
    )
    return (await session.execute(statement)).scalar_one(), window_start


def _refused(until: datetime, now: datetime) -> RateLimited:
    retry_after = max(1, int((until - now).total_seconds()) + 1)
    return RateLimited(
        f"请求过于频繁，请于 {_wait(retry_after)}后再试", headers={"Retry-After": str(retry_after)}
    )


def _wait(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} 秒"
    if seconds < 7200:
        return f"{seconds // 60} 分钟"
    return f"{seconds // 3600} 小时"


async def count_since_first(session: AsyncSession, key: str, *, window: timedelta) -> int:
    """Count one event under ``key`` in a window that opens with the first event (sign-in failures):
    an event more than ``window`` after the first starts the count again."""
    now = utcnow()
    insert = upsert_statement(session, ThrottleCounter)
    recent = ThrottleCounter.window_start > now - window
    statement = (
        insert.values(key=key, window_start=now, count=1)
        .on_conflict_do_update(
            index_elements=[ThrottleCounter.key],
            set_={
                "count": case((recent, ThrottleCounter.count + 1), else_=1),
                "window_start": case(
                    (recent, ThrottleCounter.window_start), else_=insert.excluded.window_start
                ),
            },
        )
        .returning(ThrottleCounter.count)
    )
    return (await session.execute(statement)).scalar_one()


async def hold(session: AsyncSession, key: str, until: datetime) -> None:
    """Mark ``key`` as held (refused) until ``until``; see :func:`held_until`."""
    insert = upsert_statement(session, ThrottleCounter)
    await session.execute(
        insert.values(key=key, window_start=until, count=0).on_conflict_do_update(
            index_elements=[ThrottleCounter.key], set_={"window_start": insert.excluded.window_start}
        )
    )


async def held_until(session: AsyncSession, key: str) -> datetime | None:
    until = await session.scalar(
        select(ThrottleCounter.window_start).where(ThrottleCounter.key == key)
    )
    return until if until is not None and until > utcnow() else None


async def latest_hold(session: AsyncSession, prefix: str, suffix: str = ":hold") -> datetime | None:
    """The latest :func:`hold` still in force among the keys ``prefix…suffix``."""
    until = await session.scalar(
        select(func.max(ThrottleCounter.window_start)).where(
            ThrottleCounter.key.startswith(prefix, autoescape=True),
            ThrottleCounter.key.endswith(suffix, autoescape=True),
        )
    )
    return until if until is not None and until > utcnow() else None


async def forget(session: AsyncSession, prefix: str) -> None:
    """Drop every counter whose key starts with ``prefix`` (made of letters, digits and ``:-``)."""
    await session.execute(
        delete(ThrottleCounter).where(ThrottleCounter.key.startswith(prefix, autoescape=True))
    )


STALE_AFTER = 2 * DAY  # longer than any window or hold (a day at most)
FORGET_BATCH = 1000


async def forget_stale(session: AsyncSession) -> int:
    """Drop counters whose window (or hold) ended long ago; how many (a batch a call). Keys per
    username and address, or per number and address, would otherwise pile up for ever.
    Reading first keeps the usual round, with nothing to drop, from taking SQLite's write lock."""
    stale = list(
        await session.scalars(
            select(ThrottleCounter.key)
            .where(ThrottleCounter.window_start < utcnow() - STALE_AFTER)
            .limit(FORGET_BATCH)
        )
    )
    if stale:
        await session.execute(delete(ThrottleCounter).where(ThrottleCounter.key.in_(stale)))
    return len(stale)


# 办件查询 and 证书查询: a number plus something only its owner knows (contact phone, holder name).
#
# Only wrong answers are counted per number, and per number *and source address*: failures
# from one address never refuse anybody else, so nobody can block the owner of a number by
# asking about it with wrong phones or names. Every request also counts against the address's
# per-minute limit. Guessing from many addresses at once is bounded by addresses × the daily
# failures allowed per address and number; a cap on one number across all addresses would
# give that block back to anyone (issue 14 point 9), so there is none.


def _lookup_key(kind: str, number: str, ip: str) -> str:
    digest = hashlib.sha256(f"{number}\n{ip}".encode()).hexdigest()[:40]
    return f"{kind}:fail:{digest}"


async def public_lookup(
    session: AsyncSession, settings: Settings, kind: str, *, ip: str, number: str
) -> None:
    """Before a lookup by number that needs no sign-in: count it against the address's limit
    each minute, and refuse an address that already gave too many wrong answers for this number
    today (:func:`public_lookup_failed`). Failures from other addresses play no part."""
    now = utcnow()
    await hit(session, f"{kind}:ip:{ip}", limit=settings.public_queries_per_minute, window=MINUTE)
    today = datetime.fromtimestamp(now.timestamp() // DAY.total_seconds() * DAY.total_seconds(), tz=UTC)
    failures = await session.scalar(
        select(ThrottleCounter.count).where(
            ThrottleCounter.key == _lookup_key(kind, number, ip), ThrottleCounter.window_start == today
        )
    )
    if failures is not None and failures >= settings.public_queries_per_number_per_day:
        raise _refused(today + DAY, now)


async def public_lookup_failed(
    session: AsyncSession, settings: Settings, kind: str, *, ip: str, number: str
) -> None:
    """A wrong answer (unknown number, wrong phone or name) from ``ip`` about ``number``."""
    await _count(session, _lookup_key(kind, number, ip), DAY, utcnow())
