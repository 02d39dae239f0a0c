"""Rate-limit counters in the database: stale ones are dropped by the workers' housekeeping."""

from datetime import timedelta

from sqlalchemy import select

from app.core import throttle
from app.core.db import utcnow
from app.core.throttle import ThrottleCounter


async def test_counters_whose_window_ended_long_ago_are_dropped(session):
    session.add_all(
        [
            ThrottleCounter(key="test:old", window_start=utcnow() - timedelta(days=3), count=5),
            ThrottleCounter(key="test:today", window_start=utcnow() - timedelta(hours=20), count=5),
            ThrottleCounter(key="test:held", window_start=utcnow() + timedelta(minutes=30), count=0),
        ]
    )
    await session.flush()

    assert await throttle.forget_stale(session) == 1

    left = set(await session.scalars(select(ThrottleCounter.key).where(ThrottleCounter.key.like("test:%"))))
    assert left == {"test:today", "test:held"}
    assert await throttle.forget_stale(session) == 0
