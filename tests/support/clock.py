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
