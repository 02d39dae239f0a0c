"""Jobs every worker repeats in the background.

Each job is idempotent and cheap, so any number of workers may run it side by side; a job
that fails (its database or store is down) is logged and tried again at its next round.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def repeat(job: Callable[[], Awaitable[int]], *, every_seconds: float, what: str) -> None:
    """Run ``job`` now and then every ``every_seconds``; it returns how many things it handled."""
    while True:
        try:
            count = await job()
        except Exception:
            log.warning("%s failed; trying again later", what, exc_info=True)
        else:
            if count:
                log.info(what, extra={"count": count})
        await asyncio.sleep(every_seconds)
