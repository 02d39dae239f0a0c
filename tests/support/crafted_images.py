"""Images built byte by byte: bombs that are tiny files, and metadata hidden where a
head-only stripper never looks. Nothing here holds a large picture in memory."""

import io
import struct
import zlib

from PIL import Image

# What the hidden metadata says: tests look for these bytes in what was stored.
GPS = {1: "N", 2: (31.0, 14.0, 5.0), 3: "E", 4: (121.0, 28.0, 12.0)}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="31,14.0833N" '
    b'exif:GPSLongitude="121,28.2000E"/></rdf:RDF></x:xmpmeta>'
)
TRACES = (b"Exif\x00\x00", b"GPSLatitude", b"xmpmeta", b"ns.adobe.com", b"Raw profile", b"Huawei")


def exif(orientation: int = 1) -> Image.Exif:
    data = Image.Exif()
    data[0x010F] = "Huawei"
    data[0x0112] = orientation
    data[0x8825] = GPS
    return data


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int, colour: int = 0, depth: int = 1) -> bytes:
    """A PNG of the given size whose pixels are all zero: a few KiB however large."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    row = b"\x00" * (1 + -(-width * channels * depth // 8))
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    palette = _chunk(b"PLTE", b"\x00\x00\x00") if colour == 3 else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + palette
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _png_parts(size=(64, 48)) -> tuple[bytes, bytes]:
    """A real PNG split before its IEND chunk."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    data = out.getvalue()
    return data[:-12], data[-12:]


def png_with_exif_after_idat() -> bytes:
    head, end = _png_parts()
    return head + _chunk(b"eXIf", exif().tobytes()[6:]) + end


def _raw_profile(payload: bytes) -> bytes:
    """ImageMagick's "Raw profile type exif": the EXIF block in hex, inside a text chunk."""
    hexed = payload.hex().encode()
    lines = b"\n".join(hexed[i : i + 72] for i in range(0, len(hexed), 72))
    return b"\nexif\n%8d\n" % len(payload) + lines + b"\n"


def png_with_text_chunk(kind: bytes) -> bytes:
    """EXIF as a "Raw profile type exif" text chunk (tEXt, zTXt or iTXt), plus XMP in iTXt,
    one before the pixel data and one after it."""
    head, end = _png_parts()
    key, profile = b"Raw profile type exif", _raw_profile(exif().tobytes())
    if kind == b"tEXt":
        text = _chunk(b"tEXt", key + b"\x00" + profile)
    elif kind == b"zTXt":
        text = _chunk(b"zTXt", key + b"\x00\x00" + zlib.compress(profile))
    else:
        text = _chunk(b"iTXt", key + b"\x00\x01\x00\x00\x00" + zlib.compress(profile))
    xmp = _chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP)
    ihdr_end = 8 + 25
    return head[:ihdr_end] + xmp + head[ihdr_end:] + text + end


def _jpeg(size=(640, 480), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (12, 90, 160)).save(out, "JPEG", **options)
    return out.getvalue()


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _after_jfif(jpeg: bytes, segments: bytes) -> bytes:
    """Inserts segments after SOI and the JFIF APP0 that Pillow writes."""
    (app0_length,) = struct.unpack(">H", jpeg[4:6])
    cut = 4 + app0_length
    return jpeg[:cut] + segments + jpeg[cut:]


def jpeg_with_exif_after_icc(segments: int = 8, orientation: int = 1) -> bytes:
    """A colour profile in eight full 64 KiB APP2 segments, then the EXIF with GPS."""
    size = 65533 - 14
    icc = b"".join(
        _segment(0xE2, b"ICC_PROFILE\x00" + bytes([n + 1, segments]) + bytes([n]) * size)
        for n in range(segments)
    )
    return _after_jfif(_jpeg(), icc + _segment(0xE1, exif(orientation).tobytes()))


def jpeg_with_extended_xmp() -> bytes:
    """Standard XMP pointing to extended XMP (Adobe's APP1 continuation) carrying the GPS."""
    guid = b"0123456789ABCDEF0123456789ABCDEF"
    standard = (
        b"http://ns.adobe.com/xap/1.0/\x00"
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="' + guid + b'"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    extension = b"http://ns.adobe.com/xmp/extension/\x00" + guid + struct.pack(">II", len(XMP), 0) + XMP
    return _after_jfif(_jpeg(), _segment(0xE1, standard) + _segment(0xE1, extension))


def jpeg_with_trailers() -> bytes:
    """Metadata between progressive scans, as a comment, and a second picture after EOI."""
    data = _jpeg(progressive=True)
    second_scan = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    data = (
        data[:second_scan]
        + _segment(0xED, b"Photoshop 3.0\x00GPSLatitude")
        + _segment(0xFE, b"GPSLatitude 31.2345")
        + data[second_scan:]
    )
    return data + _jpeg(size=(16, 16), exif=exif())


def with_frame_size(jpeg: bytes, width: int, height: int) -> bytes:
    """A real JPEG whose frame header claims another size (refused before decoding)."""
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        at = jpeg.find(marker)
        if at > 0:
            return jpeg[: at + 5] + struct.pack(">HH", height, width) + jpeg[at + 9 :]
    raise ValueError("no frame header")


def jpeg(progressive: bool = False, subsampling: int = 2) -> bytes:
    return _jpeg(size=(64, 64), progressive=progressive, subsampling=subsampling)
