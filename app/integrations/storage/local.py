"""Files under a directory on local disk: the embedded default."""

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from app.integrations.storage.base import READ_CHUNK


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

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def writer(self, key: str, content_type: str) -> "LocalWriter":
        return LocalWriter(self.path(key))

    async def read(self, key: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(open, self.path(key), "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, READ_CHUNK):
                yield chunk
        finally:
            handle.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)

    async def download_url(self, key: str, *, content_type: str, disposition: str) -> str | None:
        return None


class LocalWriter:
    """Writes to a temporary file beside the target and renames it into place on commit,
    so a reader never sees half an object."""

    def __init__(self, target: Path) -> None:
        self._target = target
        self._temp: BinaryIO | None = None

    async def write(self, chunk: bytes) -> None:
        if self._temp is None:
            self._temp = await asyncio.to_thread(self._open_temp)
        await asyncio.to_thread(self._temp.write, chunk)

    def _open_temp(self) -> BinaryIO:
        self._target.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.NamedTemporaryFile(dir=self._target.parent, prefix=".upload-", delete=False)

    async def commit(self) -> None:
        if self._temp is None:
            self._temp = await asyncio.to_thread(self._open_temp)
        await asyncio.to_thread(self._publish)

    def _publish(self) -> None:
        self._temp.flush()
        os.fsync(self._temp.fileno())
        self._temp.close()
        os.replace(self._temp.name, self._target)
        self._temp = None

    async def abort(self) -> None:
        if self._temp is not None:
            temp, self._temp = self._temp, None
            await asyncio.to_thread(self._discard, temp)

    @staticmethod
    def _discard(temp: BinaryIO) -> None:
        temp.close()
        Path(temp.name).unlink(missing_ok=True)
