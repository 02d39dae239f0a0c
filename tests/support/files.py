"""Small real files of every supported type, and some that must be refused."""

import io
import zipfile

from PIL import Image


def jpeg_with_location() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Huawei"
    exif[0x0112] = 1
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 5.0), 3: "E", 4: (121.0, 28.0, 12.0)}
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (12, 90, 160)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def pdf(size: int = 2048) -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    return body + b"%" * max(0, size - len(body) - 6) + b"\n%%EOF"


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def ofd() -> bytes:
    return _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})


def plain_zip() -> bytes:
    return _zip({"notes.txt": b"hello"})


def ole2() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4088


def executable() -> bytes:
    return b"MZ\x90\x00" + b"\x00" * 1020


async def upload(api, headers: dict, filename: str, data: bytes, **form):
    """上传文件 to 我的材料 as a client that does not say the type: the server must find it out."""
    return await api.post(
        "/me/materials",
        files={"file": (filename, data, "application/octet-stream")},
        data=form,
        headers=headers,
    )
