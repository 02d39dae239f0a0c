"""Images: checked from their header before any pixel is decoded, stored without metadata.

Memory. A PNG or JPEG compresses a flat picture almost to nothing, so a 13 KiB file can
declare 10000×11000 pixels; decoding it at full size, then converting it, cost a worker
hundreds of MiB. Every image is therefore measured from its header while it streams in
(PNG ``IHDR``; JPEG ``SOFn`` and the first ``SOS``) and refused before a byte of it is
stored when decoding it would take more than ``DECODE_BUDGET``:

- the decoded picture at the size it is decoded at: Pillow keeps 1 byte per pixel for
  1-bit, grey and palette images, 2 for 16-bit grey and 4 for RGB, RGBA and grey+alpha;
  a JPEG is decoded already shrunk by up to 8 in each direction (``Image.draft``, DCT
  scaling), so a baseline photo of 108 megapixels needs ~7 MiB;
- plus, for a JPEG whose scans each carry only part of the picture (progressive, or one
  component per scan), the coefficients of the whole picture, 2 bytes per coefficient,
  which libjpeg must hold until the last scan whatever the output scale.

48 MiB is what one decode may take so that one upload stays within 64 MiB of peak RSS
growth (``bench/images``) with the interpreter's and the thumbnail's own allocations on
top; with ``DECODES_PER_WORKER`` decodes at a time a worker spends at most 128 MiB on
images however many arrive together. That admits a 7000×7000 1-bit or grey scan (A4 at
600 dpi is 4960×7016), a 3500×3500 RGB or RGBA PNG (A4 at 300 dpi is 2480×3508), any
baseline phone photo up to ``MAX_PIXELS`` (1.2 亿 pixels: 108-megapixel phones; larger
photos exceed the 20 MiB upload cap anyway) and progressive JPEGs up to ~16 megapixels.
Pillow's own ``DecompressionBombWarning`` is raised as an error, and the thumbnail never
converts the picture at full size: it is flattened and reduced band by band.

Metadata. The whole stream passes through a filter that keeps what display needs and
drops the rest wherever it sits (before or after the pixel data, or after the end of the
image): for JPEG, JFIF (APP0), ICC profiles (APP2) and Adobe (APP14) stay, the first EXIF
is rewritten to hold its orientation only (so the photo still shows upright), and every
other APPn and comment goes — GPS, XMP, extended XMP, MPF side images, IPTC. For PNG only
the critical chunks and those describing colour, transparency and pixel density stay;
``eXIf``, ``tEXt``/``zTXt``/``iTXt`` (XMP, "Raw profile type exif"), time stamps, private
and animation chunks go. Nothing is re-encoded, so quality is untouched and the filter
needs no more memory than one JPEG segment (64 KiB).
"""

import asyncio
import io
import struct
import warnings
import weakref
from dataclasses import dataclass
from typing import ClassVar

from PIL import Image, UnidentifiedImageError

from app.core.errors import AppError
from app.materials.file_types import FileType

MIB = 1024 * 1024
THUMBNAIL_SIZE = (320, 320)
DECODE_BUDGET = 48 * MIB
MAX_PIXELS = 120_000_000
# Above this Pillow warns (and we refuse); the header check refuses long before.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
DECODES_PER_WORKER = 2
MAX_JPEG_SCANS = 100
# Rows of the decoded picture flattened and reduced at a time for the thumbnail.
BAND_BYTES = MIB

ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Bytes per pixel of a decoded picture in Pillow's memory, by mode.
_MODE_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2}


class BrokenImage(AppError):
    status = 415
    code = "material.broken_image"
    title = "图片已损坏或无法识别"


class ImageTooLarge(AppError):
    status = 413
    code = "material.image_too_large"
    title = "图片尺寸过大"


@dataclass(frozen=True)
class Geometry:
    """What decoding an image costs, as its header tells."""

    format: str  # "PNG" or "JPEG", as Pillow names it
    width: int
    height: int
    bytes_per_pixel: int  # of the decoded picture
    scale: int = 1  # JPEG: decoded shrunk by this in each direction
    buffered: int = 0  # bytes the decoder holds besides the picture

    def cost(self) -> int:
        decoded = -(-self.width // self.scale) * -(-self.height // self.scale)
        return decoded * self.bytes_per_pixel + self.buffered

    def check(self, cost: int | None = None) -> None:
        """Refuses the image when decoding it (``cost``: as measured by Pillow) is too dear."""
        if self.width <= 0 or self.height <= 0:
            raise BrokenImage("图片的宽度或高度为零")
        pixels = self.width * self.height
        cost = max(cost or 0, self.cost())
        if pixels <= MAX_PIXELS and cost <= DECODE_BUDGET:
            return
        # The most pixels a picture of this kind may have, for the message.
        allowed = min(MAX_PIXELS, pixels * DECODE_BUDGET // cost)
        raise ImageTooLarge(
            f"图片为 {self.width}×{self.height} 像素，"
            f"此类图片最多约 {allowed // 10_000} 万像素，请缩小尺寸后重新上传"
        )


def jpeg_scale(width: int, height: int) -> int:
    """The DCT scale Pillow's ``draft`` picks for the thumbnail (JpegImagePlugin.draft)."""
    ratio = min(width // THUMBNAIL_SIZE[0], height // THUMBNAIL_SIZE[1])
    return next((s for s in (8, 4, 2) if ratio >= s), 1)


def metadata_filter(file_type: FileType) -> "MetadataFilter | None":
    if file_type.code == "jpeg":
        return JpegFilter()
    if file_type.code == "png":
        return PngFilter()
    return None


class MetadataFilter:
    """Fed the file in chunks; returns the bytes to store. ``finish`` checks it ended."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._position = 0
        self._out = bytearray()
        self.geometry: Geometry | None = None
        self.done = False

    def feed(self, data: bytes) -> bytes:
        if self.done:
            return b""  # whatever follows the end of the image is dropped
        self._buffer += data
        self._parse()
        del self._buffer[: self._position]
        self._position = 0
        out, self._out = bytes(self._out), bytearray()
        return out

    def finish(self) -> bytes:
        if not self.done or self.geometry is None:
            raise BrokenImage("图片不完整")
        return b""

    def _available(self) -> int:
        return len(self._buffer) - self._position

    def _parse(self) -> None:
        raise NotImplementedError


class PngFilter(MetadataFilter):
    SIGNATURE = b"\x89PNG\r\n\x1a\n"
    # Critical chunks and those that change how the picture looks; everything else goes.
    KEEP = frozenset({
        b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
        b"sBIT", b"cICP", b"mDCV", b"cLLI", b"bKGD", b"pHYs",
    })  # fmt: skip
    # (bit depth → bytes per decoded pixel) by colour type, as Pillow decodes them.
    MODES: ClassVar[dict[int, dict[int, int]]] = {
        0: {1: 1, 2: 1, 4: 1, 8: 1, 16: 2},
        2: {8: 4, 16: 4},
        3: {1: 1, 2: 1, 4: 1, 8: 1},
        4: {8: 4, 16: 4},
        6: {8: 4, 16: 4},
    }

    def __init__(self) -> None:
        super().__init__()
        self._signature_seen = False
        self._remaining = 0  # of the current chunk's data and CRC
        self._keep = False
        self._last = b""

    def _parse(self) -> None:
        buffer = self._buffer
        while True:
            if self._remaining:
                count = min(self._remaining, self._available())
                if self._keep:
                    self._out += buffer[self._position : self._position + count]
                self._position += count
                self._remaining -= count
                if self._remaining:
                    return
                if self._last == b"IEND":
                    self.done = True
                    return
            if not self._signature_seen:
                if self._available() < 8:
                    return
                if buffer[:8] != self.SIGNATURE:
                    raise BrokenImage()
                self._out += self.SIGNATURE
                self._position = 8
                self._signature_seen = True
            if self._available() < 8:
                return
            start = self._position
            length, kind = struct.unpack(">I4s", buffer[start : start + 8])
            if length > 0x7FFFFFFF or not kind.isalpha():
                raise BrokenImage()
            if self.geometry is None:
                if kind != b"IHDR" or length != 13:
                    raise BrokenImage()
                if self._available() < 8 + 13:
                    return
                self._header(bytes(buffer[start + 8 : start + 21]))
            self._last = kind
            self._keep = kind in self.KEEP
            if self._keep:
                self._out += buffer[start : start + 8]
            self._position += 8
            self._remaining = length + 4

    def _header(self, ihdr: bytes) -> None:
        width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
        bytes_per_pixel = self.MODES.get(colour, {}).get(depth)
        if bytes_per_pixel is None or interlace > 1:
            raise BrokenImage()
        self.geometry = Geometry("PNG", width, height, bytes_per_pixel)
        self.geometry.check()


class JpegFilter(MetadataFilter):
    # SOF markers libjpeg decodes as Pillow builds it: baseline, extended, progressive (Huffman).
    FRAMES: ClassVar[dict[int, bool]] = {0xC0: False, 0xC1: False, 0xC2: True}
    STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})

    def __init__(self) -> None:
        super().__init__()
        self._started = False
        self._in_scan = False
        self._frame: tuple[int, int, list[tuple[int, int]], bool] | None = None
        self._scans = 0
        self._exif_seen = False

    def _parse(self) -> None:
        buffer = self._buffer
        if not self._started:
            if self._available() < 2:
                return
            if buffer[:2] != b"\xff\xd8":
                raise BrokenImage()
            self._out += b"\xff\xd8"
            self._position = 2
            self._started = True
        while not self.done:
            if self._in_scan and not self._scan_data():
                return
            # A marker: fill bytes (0xFF) may precede it.
            while self._available() >= 2 and buffer[self._position + 1] == 0xFF:
                if buffer[self._position] != 0xFF:
                    raise BrokenImage()
                self._position += 1
            if self._available() < 2:
                return
            start = self._position
            if buffer[start] != 0xFF:
                raise BrokenImage()
            marker = buffer[start + 1]
            if marker == 0xD9:
                self._out += b"\xff\xd9"
                self._position += 2
                self.done = True
                return
            if marker in self.STANDALONE:
                self._out += buffer[start : start + 2]
                self._position += 2
                continue
            if marker in (0x00, 0xD8):
                raise BrokenImage()
            if self._available() < 4:
                return
            (length,) = struct.unpack(">H", buffer[start + 2 : start + 4])
            if length < 2:
                raise BrokenImage()
            if self._available() < 2 + length:
                return  # a segment is at most 64 KiB: wait for all of it
            self._position += 2 + length
            self._segment(marker, bytes(buffer[start + 4 : start + 2 + length]))

    def _scan_data(self) -> bool:
        """Copies entropy-coded data up to the next marker; False when more is needed."""
        buffer = self._buffer
        search = self._position
        while True:
            found = buffer.find(b"\xff", search)
            if found < 0 or found + 1 >= len(buffer):
                end = len(buffer) if found < 0 else found
                self._out += buffer[self._position : end]
                self._position = end
                return False
            following = buffer[found + 1]
            if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
                search = found + 2
                continue
            self._out += buffer[self._position : found]
            self._position = found
            self._in_scan = False
            return True

    def _segment(self, marker: int, payload: bytes) -> None:
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            kept = self._application(marker, payload)
            if kept is not None:
                self._out += _segment(marker, kept)
            return
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            self._start_of_frame(marker, payload)
        elif marker == 0xDA:
            self._start_of_scan(payload)
        self._out += _segment(marker, payload)

    def _application(self, marker: int, payload: bytes) -> bytes | None:
        if marker == 0xE0 and payload.startswith(b"JFIF\x00"):
            return payload
        if marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00"):
            return payload
        if marker == 0xEE and payload.startswith(b"Adobe"):
            return payload
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00") and not self._exif_seen:
            self._exif_seen = True
            return _orientation_only(payload)
        return None

    def _start_of_frame(self, marker: int, payload: bytes) -> None:
        if self._frame is not None or marker not in self.FRAMES or len(payload) < 6:
            raise BrokenImage("不支持此种 JPEG 编码" if marker not in self.FRAMES else None)
        _, height, width, count = struct.unpack(">BHHB", payload[:6])
        if count not in (1, 3, 4) or len(payload) < 6 + 3 * count:
            raise BrokenImage()
        sampling = [(payload[7 + 3 * i] >> 4, payload[7 + 3 * i] & 0x0F) for i in range(count)]
        if any(not (1 <= h <= 4 and 1 <= v <= 4) for h, v in sampling):
            raise BrokenImage()
        self._frame = (width, height, sampling, self.FRAMES[marker])

    def _start_of_scan(self, payload: bytes) -> None:
        if self._frame is None or not payload:
            raise BrokenImage()
        self._scans += 1
        if self._scans > MAX_JPEG_SCANS:
            raise BrokenImage("图片扫描段过多")
        self._in_scan = True
        if self._scans > 1:
            return
        width, height, sampling, progressive = self._frame
        buffered = 0
        if progressive or payload[0] < len(sampling):
            # libjpeg keeps every coefficient of the picture until the last scan.
            h_max = max(h for h, _ in sampling)
            v_max = max(v for _, v in sampling)
            for h, v in sampling:
                columns = _round_up(-(-width * h // (h_max * 8)), h)
                rows = _round_up(-(-height * v // (v_max * 8)), v)
                buffered += columns * rows * 64 * 2
        self.geometry = Geometry(
            "JPEG", width, height, 1 if len(sampling) == 1 else 4, jpeg_scale(width, height), buffered
        )
        self.geometry.check()


def _round_up(value: int, multiple: int) -> int:
    return -(-value // multiple) * multiple


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _orientation_only(payload: bytes) -> bytes | None:
    """An EXIF block holding only the orientation, or nothing when the photo is upright."""
    try:
        exif = Image.Exif()
        exif.load(payload)
        orientation = exif.get(ORIENTATION)
    except Exception:  # an unreadable EXIF block is simply dropped
        return None
    if orientation not in _TRANSPOSE:
        return None
    minimal = Image.Exif()
    minimal[ORIENTATION] = orientation
    return minimal.tobytes()


_slots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = (
    weakref.WeakKeyDictionary()
)


def decode_slot() -> asyncio.Semaphore:
    """At most ``DECODES_PER_WORKER`` images are decoded at once in this process."""
    loop = asyncio.get_running_loop()
    slot = _slots.get(loop)
    if slot is None:
        slot = _slots[loop] = asyncio.Semaphore(DECODES_PER_WORKER)
    return slot


def thumbnail(image_file: io.BufferedIOBase, expected: Geometry) -> bytes:
    """A small JPEG for lists; also proves the image decodes as its header said."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(image_file, formats=[expected.format]) as image:
                return _thumbnail(image, expected)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageTooLarge(f"图片像素超过 {MAX_PIXELS // 10_000} 万") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
        raise BrokenImage() from error


def _thumbnail(image: Image.Image, expected: Geometry) -> bytes:
    if image.size != (expected.width, expected.height) or image.width * image.height > MAX_PIXELS:
        raise BrokenImage()
    orientation = image.getexif().get(ORIENTATION)
    image.draft("RGB", THUMBNAIL_SIZE)  # JPEG: decode shrunk (DCT scaling)
    # Checked again on Pillow's reading of the header: the size it will really decode.
    expected.check(image.width * image.height * _MODE_BYTES.get(image.mode, 4) + expected.buffered)
    image.load()
    factor = max(1, int(max(image.size) / max(THUMBNAIL_SIZE) / 2))
    picture = _reduced(image, factor)
    picture.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    if orientation in _TRANSPOSE:
        picture = picture.transpose(_TRANSPOSE[orientation])
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return out.getvalue()


def _reduced(image: Image.Image, factor: int) -> Image.Image:
    """The picture in RGB on white, ``factor`` times smaller, never copied at full size."""
    width, height = image.size
    out = Image.new("RGB", (-(-width // factor), -(-height // factor)), "white")
    rows = max(factor, BAND_BYTES // (width * 4) // factor * factor)
    for top in range(0, height, rows):
        band = _flattened(image.crop((0, top, width, min(height, top + rows))))
        out.paste(band.reduce(factor) if factor > 1 else band, (0, top // factor))
    return out


def _flattened(band: Image.Image) -> Image.Image:
    if band.mode in ("I;16", "I;16B", "I"):
        band = band.convert("I").point(lambda value: value / 256).convert("L")
    if band.mode == "P":
        band = band.convert("RGBA" if "transparency" in band.info else "RGB")
    if band.mode in ("LA", "PA", "RGBA", "La", "RGBa"):
        rgba = band.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", band.size, "white"), rgba).convert("RGB")
    return band.convert("RGB")
