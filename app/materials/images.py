"""Images from phones carry where they were taken; we keep the picture, not the place.

Location lives in the metadata segments before the pixel data, so it is removed from the
head of the stream without re-encoding: the EXIF GPS directory is dropped (orientation and
the rest stay), XMP packets (which may repeat the position) are dropped whole.
"""

import io
import struct

from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.errors import AppError
from app.materials.file_types import FileType

GPS_IFD = 0x8825
THUMBNAIL_SIZE = (320, 320)
# Far above any photo, far below what would exhaust memory while decoding.
Image.MAX_IMAGE_PIXELS = 60_000_000


class BrokenImage(AppError):
    status = 415
    code = "material.broken_image"
    title = "图片已损坏或无法识别"


def strip_location(head: bytes, file_type: FileType) -> bytes:
    if file_type.code == "jpeg":
        return _strip_jpeg(head)
    if file_type.code == "png":
        return _strip_png(head)
    return head


def _strip_jpeg(head: bytes) -> bytes:
    out, position = bytearray(head[:2]), 2
    while position + 4 <= len(head) and head[position] == 0xFF:
        marker = head[position + 1]
        if marker == 0xDA:  # start of scan: pixel data follows, metadata is over
            break
        (length,) = struct.unpack(">H", head[position + 2 : position + 4])
        segment = head[position : position + 2 + length]
        if len(segment) < 2 + length:
            break
        payload = segment[4:]
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            out += _segment(0xE1, _exif_without_gps(payload))
        elif not (marker == 0xE1 and payload.startswith(b"http://ns.adobe.com/xap/")):
            out += segment
        position += 2 + length
    return bytes(out + head[position:])


def _exif_without_gps(payload: bytes) -> bytes:
    exif = Image.Exif()
    exif.load(payload)
    exif.pop(GPS_IFD, None)
    return exif.tobytes()


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _strip_png(head: bytes) -> bytes:
    out, position = bytearray(head[:8]), 8
    while position + 8 <= len(head):
        length, kind = struct.unpack(">I4s", head[position : position + 8])
        end = position + 12 + length
        if kind == b"IDAT" or end > len(head):
            break
        text_key = head[position + 8 : position + 8 + 17]
        if not (kind == b"eXIf" or (kind == b"iTXt" and text_key.startswith(b"XML:com.adobe.xmp"))):
            out += head[position:end]
        position = end
    return bytes(out + head[position:])


def thumbnail(image_file: io.BufferedIOBase) -> bytes:
    """A small JPEG for lists; also proves the image decodes."""
    try:
        with Image.open(image_file) as image:
            image.draft("RGB", THUMBNAIL_SIZE)  # JPEG: decode at reduced size, cheaply
            picture = ImageOps.exif_transpose(image).convert("RGB")
            picture.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise BrokenImage() from error
