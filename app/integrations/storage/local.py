"""Files under a directory on local disk: the embedded default."""

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from app.core.errors import StorageUnavailable
from app.integrations.storage.base import KEY_PAGE, READ_CHUNK

# Uploads in progress are written here and renamed into place on commit. One directory on
# the same file system as the objects: the rename is atomic, and leftovers of a killed
# process are found without walking every stored file.
PARTIAL_DIR = ".partial"


@contextlib.contextmanager
def _disk_errors() -> Iterator[None]:
    """A disk that is full, read-only or failing makes the store unavailable, not the request wrong."""
    try:
        yield
    except OSError as error:
        raise StorageUnavailable() from error


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def partial_dir(self) -> Path:
        return self.root / PARTIAL_DIR

    async def check(self) -> None:
        await asyncio.to_thread(self._probe_write)

    def _probe_write(self) -> None:
        self.partial_dir.mkdir(parents=True, exist_ok=True)
        fd, path = tempfile.mkstemp(dir=self.partial_dir, prefix="readyz-")
        os.close(fd)
        os.unlink(path)

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()) or path.is_relative_to(self.partial_dir.resolve()):
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def writer(self, key: str, content_type: str) -> "LocalWriter":
        return LocalWriter(self.path(key), self.partial_dir)

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

    async def sweep_partial_uploads(self, older_than: timedelta) -> int:
        with _disk_errors():
            return await asyncio.to_thread(self._sweep, time.time() - older_than.total_seconds())

    def _sweep(self, cutoff: float) -> int:
        """Temporary files nobody has written to since ``cutoff`` (a live upload keeps writing)."""
        if not self.partial_dir.is_dir():
            return 0
        swept = 0
        for entry in self.partial_dir.iterdir():
            with contextlib.suppress(FileNotFoundError):  # its writer finished or another sweep won
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    entry.unlink()
                    swept += 1
        return swept

    async def stored_keys(self, prefix: str, written_before: datetime) -> AsyncIterator[list[str]]:
        pages = self._key_pages(self.path(prefix), written_before.timestamp())
        while True:
            with _disk_errors():
                page = await asyncio.to_thread(next, pages, None)
            if page is None:
                return
            yield page

    def _key_pages(self, base: Path, cutoff: float) -> Iterator[list[str]]:
        root, page = self.root.resolve(), []
        for directory, _, names in os.walk(base):
            for name in names:
                path = Path(directory, name)
                with contextlib.suppress(FileNotFoundError):  # deleted while we walk
                    if path.stat().st_mtime < cutoff:
                        page.append(path.relative_to(root).as_posix())
                if len(page) == KEY_PAGE:
                    yield page
                    page = []
        if page:
            yield page


class LocalWriter:
    """Writes to a temporary file and renames it into place on commit, so a reader never
    sees half an object."""

    def __init__(self, target: Path, partial_dir: Path) -> None:
        self._target = target
        self._partial_dir = partial_dir
        self._temp: BinaryIO | None = None

    async def write(self, chunk: bytes) -> None:
        with _disk_errors():
            if self._temp is None:
                self._temp = await asyncio.to_thread(self._open_temp)
            await asyncio.to_thread(self._temp.write, chunk)

    def _open_temp(self) -> BinaryIO:
        self._partial_dir.mkdir(parents=True, exist_ok=True)
        return tempfile.NamedTemporaryFile(dir=self._partial_dir, prefix="upload-", delete=False)

    async def commit(self) -> None:
        with _disk_errors():
            if self._temp is None:
                self._temp = await asyncio.to_thread(self._open_temp)
            await asyncio.to_thread(self._publish)

    def _publish(self) -> None:
        self._temp.flush()
        os.fsync(self._temp.fileno())
        self._temp.close()
        self._target.parent.mkdir(parents=True, exist_ok=True)
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
