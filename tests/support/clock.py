"""Rate limits count per calendar minute; a test that counts must not straddle two minutes."""

import asyncio
import time

MARGIN_SECONDS = 15


def seconds_to_wait() -> float:
    into_minute = time.time() % 60
    return 60 - into_minute + 0.1 if into_minute > 60 - MARGIN_SECONDS else 0.0


async def fresh_rate_window() -> None:
    """Wait, if needed, so that the next 15 seconds fall in one rate-limit window."""
    await asyncio.sleep(seconds_to_wait())


class FrozenClock:
    """"Now" held still at a moment the test names, for the modules that read it.

        clock = FrozenClock(monkeypatch, "app.applications.service.utcnow")
        clock.set(datetime(2026, 9, 16, 10, tzinfo=CHINA_TIME))
    """

    def __init__(self, monkeypatch, *targets: str) -> None:
        self.moment = None
        for target in targets:
            monkeypatch.setattr(target, self.now)

    def set(self, moment):
        self.moment = moment
        return moment

    def now(self):
        if self.moment is None:
            raise AssertionError("the frozen clock was read before the test set it")
        return self.moment
