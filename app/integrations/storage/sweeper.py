"""Every worker sweeps partial uploads of dead processes: at start, then once per max age.

A worker killed mid-upload leaves a temporary file or an unfinished multipart upload. It is
removed once nobody has written to it for PARTIAL_UPLOAD_MAX_AGE, longer than any upload
takes, so a sweep never touches what another worker is still receiving. Sweeping is
idempotent and cheap (one directory listing, or one listing of multipart uploads), so all
workers may do it; a store that is down only delays it to the next round.
"""

import asyncio
import logging
from datetime import timedelta

from app.integrations.storage.base import ObjectStorage

log = logging.getLogger(__name__)
# However short the configured age, do not list the store more often than this.
MIN_INTERVAL_S = 1.0


async def keep_sweeping(storage: ObjectStorage, max_age: timedelta) -> None:
    interval = max(max_age.total_seconds(), MIN_INTERVAL_S)
    while True:
        try:
            swept = await storage.sweep_partial_uploads(max_age)
        except Exception:
            log.warning("sweeping partial uploads failed; trying again later", exc_info=True)
        else:
            if swept:
                log.info("swept partial uploads of dead processes", extra={"swept": swept})
        await asyncio.sleep(interval)
