"""Every worker sweeps partial uploads of dead processes: at start, then once per max age.

A worker killed mid-upload leaves a temporary file or an unfinished multipart upload. It is
removed once nobody has written to it for PARTIAL_UPLOAD_MAX_AGE, longer than any upload
takes, so a sweep never touches what another worker is still receiving. Sweeping is
idempotent and cheap (one directory listing, or one listing of multipart uploads), so all
workers may do it; a store that is down only delays it to the next round.
"""

from datetime import timedelta

from app.core.housekeeping import repeat
from app.integrations.storage.base import ObjectStorage

# However short the configured age, do not list the store more often than this.
MIN_INTERVAL_S = 1.0


async def keep_sweeping(storage: ObjectStorage, max_age: timedelta) -> None:
    await repeat(
        lambda: storage.sweep_partial_uploads(max_age),
        every_seconds=max(max_age.total_seconds(), MIN_INTERVAL_S),
        what="sweeping partial uploads of dead processes",
    )
