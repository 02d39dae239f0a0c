"""Files under a directory on local disk: the embedded default."""

import asyncio
import os
import tempfile
from pathlib import Path


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    async def check(self) -> None:
        await asyncio.to_thread(self._probe_write)

    def _probe_write(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, path = tempfile.mkstemp(dir=self.root, prefix=".readyz-")
        os.close(fd)
        os.unlink(path)
