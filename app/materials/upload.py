"""Receiving one file from a multipart body (what ``wx.uploadFile`` sends), streamed.

The body is parsed as it arrives; file bytes go to storage in chunks while being hashed
and counted, so neither a large file nor a body without Content-Length is ever held in
memory, and the size cap holds on the stream itself. Whatever fails, the partial object
is discarded before the error leaves this module.
"""

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from app.core.errors import AppError, InvalidInput
from app.core.schemas import INVISIBLE_CHARACTERS, INVISIBLE_CHARACTERS_MESSAGE, has_invisible_characters
from app.integrations.storage.base import ObjectStorage, ObjectWriter
from app.materials import images
from app.materials.file_types import HEAD_BYTES, TAIL_BYTES, FileType, identify, needs_tail

MAX_PARTS = 4
# The parts an upload may have: the file and its optional display name.
UPLOAD_FIELDS = ("file", "name")
MAX_FIELD_BYTES = 1024
MAX_NAME_CHARS = 100
# Room for the multipart framing around the file.
BODY_OVERHEAD = 64 * 1024
_FORBIDDEN_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\]|\.\.")


class NotMultipart(AppError):
    status = 415
    code = "material.not_multipart"
    title = "请以 multipart/form-data 方式上传文件"


class UploadTooLarge(AppError):
    status = 413
    code = "material.too_large"
    title = "文件过大"


class TooManyParts(AppError):
    """Malformed rather than large: the parts are counted before anything is stored."""

    status = 400
    code = "material.too_many_parts"
    title = "上传内容包含过多字段"


class MalformedUpload(AppError):
    status = 400
    code = "material.malformed"
    title = "上传内容格式错误"


class UploadAborted(AppError):
    status = 400
    code = "material.upload_aborted"
    title = "上传已中断，请重试"


@dataclass(frozen=True)
class ReceivedFile:
    name: str
    file_type: FileType
    size: int
    sha256: str
    # Images: what decoding it costs, read from its header.
    geometry: images.Geometry | None = None


def _field_error(message: str, kind: str, where: str = "file") -> InvalidInput:
    return InvalidInput([(("body", where), message, kind)])


def display_name(raw: str, where: str) -> str:
    """Chinese stays; paths, control characters and overlong names are refused."""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if _FORBIDDEN_IN_NAME.search(name):
        raise _field_error("文件名不能包含路径符号或控制字符", "invalid_name", where)
    if has_invisible_characters(name):
        # "报告\u202egnp.exe.pdf" would show as "报告fdp.exe.png".
        raise _field_error(INVISIBLE_CHARACTERS_MESSAGE, INVISIBLE_CHARACTERS, where)
    if len(name) > MAX_NAME_CHARS:
        raise _field_error(f"文件名不能超过{MAX_NAME_CHARS}个字符", "name_too_long", where)
    return name


@dataclass
class _FilePart:
    writer_factory: Callable[[str], ObjectWriter]
    limit: int
    allowed: list[str]
    extension: str | None
    head: bytearray = field(default_factory=bytearray)
    tail: bytearray = field(default_factory=bytearray)
    writer: ObjectWriter | None = None
    file_type: FileType | None = None
    keep_tail: bool = False
    # Images pass through it whole: metadata is dropped, the size checked from the header.
    image_filter: images.MetadataFilter | None = None
    signature: bytes = b""
    received: int = 0
    stored: int = 0
    digest: "hashlib._Hash" = field(default_factory=hashlib.sha256)

    async def feed(self, data: bytes) -> None:
        self.received += len(data)
        if self.received > self.limit:
            raise UploadTooLarge(f"文件不能超过 {self.limit // (1024 * 1024)} MB")
        if self.writer is None:
            self.head += data
            if len(self.head) >= HEAD_BYTES:
                await self._start()
            return
        await self._store(self.image_filter.feed(data) if self.image_filter else data)

    async def _start(self) -> None:
        head, self.head = bytes(self.head), bytearray()
        self.signature = head[:16]
        self.keep_tail = needs_tail(head)
        if not self.keep_tail:
            self.file_type = identify(head, b"", self.extension, self.allowed)
            self.image_filter = images.metadata_filter(self.file_type)
            if self.image_filter:
                # A PNG too large to decode is refused here, before anything is stored.
                head = self.image_filter.feed(head)
        content_type = self.file_type.content_type if self.file_type else "application/octet-stream"
        self.writer = self.writer_factory(content_type)
        await self._store(head)

    async def _store(self, data: bytes) -> None:
        if not data:
            return
        self.digest.update(data)
        self.stored += len(data)
        if self.keep_tail:
            self.tail += data
            del self.tail[:-TAIL_BYTES]
        await self.writer.write(data)

    async def finish(self) -> None:
        if self.writer is None:
            if not self.head:
                raise _field_error("文件内容为空", "empty")
            await self._start()
        if self.file_type is None:
            self.file_type = identify(self.signature, bytes(self.tail), self.extension, self.allowed)
        if self.image_filter:
            await self._store(self.image_filter.finish())

    async def abort(self) -> None:
        if self.writer is not None:
            await self.writer.abort()


async def receive_file(
    request: Request, storage: ObjectStorage, key: str, *, limit: int, allowed: list[str]
) -> ReceivedFile:
    """Store the ``file`` part of the request's multipart body under ``key``."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise NotMultipart()
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + BODY_OVERHEAD:
        raise UploadTooLarge(f"文件不能超过 {limit // (1024 * 1024)} MB")

    receiver = _Receiver(lambda content: storage.writer(key, content), limit, allowed)
    try:
        await receiver.run(request, boundary)
        return await receiver.complete()
    except BaseException:
        await receiver.abort()
        raise


class _Receiver:
    """Turns python-multipart's synchronous callbacks into events handled between reads."""

    def __init__(self, writer_factory: Callable[[str], ObjectWriter], limit: int, allowed: list[str]) -> None:
        self._writer_factory = writer_factory
        self._limit = limit
        self._allowed = allowed
        self._events: list[tuple[str, bytes]] = []
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._parts = 0
        self._current: str | None = None
        self._file: _FilePart | None = None
        self._file_name: str | None = None
        self._name_field = bytearray()

    def _callbacks(self) -> dict:
        return {
            "on_part_begin": lambda: self._headers.clear(),
            "on_header_field": lambda data, start, end: self._header_field.extend(data[start:end]),
            "on_header_value": lambda data, start, end: self._header_value.extend(data[start:end]),
            "on_header_end": self._header_end,
            # The part's disposition travels with its event: by the time events are handled,
            # the parser may already have read the headers of the next part.
            "on_headers_finished": lambda: self._events.append(
                ("begin", self._headers.get(b"content-disposition", b""))
            ),
            "on_part_data": lambda data, start, end: self._events.append(("data", bytes(data[start:end]))),
            "on_part_end": lambda: self._events.append(("end", b"")),
        }

    def _header_end(self) -> None:
        self._headers[bytes(self._header_field).lower()] = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    async def run(self, request: Request, boundary: bytes) -> None:
        parser = MultipartParser(boundary, self._callbacks(), max_size=self._limit + BODY_OVERHEAD)
        body_bytes = 0
        try:
            async for chunk in request.stream():
                body_bytes += len(chunk)
                if body_bytes > self._limit + BODY_OVERHEAD:
                    raise UploadTooLarge(f"文件不能超过 {self._limit // (1024 * 1024)} MB")
                parser.write(chunk)
                await self._handle_events()
            parser.finalize()
        except MultipartParseError as error:
            raise MalformedUpload() from error
        except ClientDisconnect as error:
            raise UploadAborted() from error
        await self._handle_events()

    async def _handle_events(self) -> None:
        events, self._events = self._events, []
        for kind, data in events:
            if kind == "begin":
                await self._begin_part(data)
            elif kind == "data":
                await self._part_data(data)
            elif self._current == "file":
                await self._file.finish()

    async def _begin_part(self, disposition: bytes) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise TooManyParts()
        _, options = parse_options_header(disposition)
        self._current = options.get(b"name", b"").decode("utf-8", "replace")
        if self._current not in UPLOAD_FIELDS:
            # As JSON bodies refuse unknown fields, so does the upload form.
            raise _field_error("不允许提交此字段", "extra_forbidden", self._current)
        if self._current == "file":
            if self._file is not None:
                raise _field_error("一次只能上传一个文件", "too_many_files")
            filename = options.get(b"filename", b"").decode("utf-8", "replace")
            self._file_name = display_name(filename, "file") if filename else ""
            extension = PurePosixPath(self._file_name).suffix.lower() or None
            self._file = _FilePart(self._writer_factory, self._limit, self._allowed, extension)

    async def _part_data(self, data: bytes) -> None:
        if self._current == "file":
            await self._file.feed(data)
        elif self._current == "name":
            self._name_field += data
            if len(self._name_field) > MAX_FIELD_BYTES:
                raise _field_error(f"文件名不能超过{MAX_NAME_CHARS}个字符", "name_too_long", "name")

    async def complete(self) -> ReceivedFile:
        if self._file is None or self._file.file_type is None:
            raise _field_error("请选择要上传的文件", "missing")
        file_type = self._file.file_type
        chosen = self._name_field.decode("utf-8", "replace") if self._name_field else ""
        name = display_name(chosen, "name") if chosen else self._file_name
        if not name:
            name = "材料"
        if PurePosixPath(name).suffix.lower() not in file_type.extensions:
            name += file_type.extensions[0]
        await self._file.writer.commit()
        image_filter = self._file.image_filter
        return ReceivedFile(
            name,
            file_type,
            self._file.stored,
            self._file.digest.hexdigest(),
            image_filter.geometry if image_filter else None,
        )

    async def abort(self) -> None:
        if self._file is not None:
            await self._file.abort()
