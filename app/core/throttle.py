"""Fixed-window request counters in the database, so every worker process sees the same count."""

from datetime import datetime, timedelta

from sqlalchemy import String, case
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
    count = (await session.execute(statement)).scalar_one()
    if count > limit:
        retry_after = max(1, int((window_start + window - now).total_seconds()) + 1)
        raise RateLimited(
            f"请求过于频繁，请于 {_wait(retry_after)}后再试", headers={"Retry-After": str(retry_after)}
        )


def _wait(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} 秒"
    if seconds < 7200:
        return f"{seconds // 60} 分钟"
    return f"{seconds // 3600} 小时"


async def public_lookup(
    session: AsyncSession, settings: Settings, kind: str, *, ip: str, number: str
) -> None:
    """Count a lookup by number that needs no sign-in (办件查询, 证书查询).

    Per address and per number each minute, and per number each day: someone holding a
    number could otherwise try names or phone numbers from many addresses all day long."""
    per_minute = settings.public_queries_per_minute
    await hit(session, f"{kind}:ip:{ip}", limit=per_minute, window=MINUTE)
    await hit(session, f"{kind}:no:{number}", limit=per_minute, window=MINUTE)
    await hit(
        session, f"{kind}:no-day:{number}", limit=settings.public_queries_per_number_per_day, window=DAY
    )
