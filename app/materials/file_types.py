"""What a file is, decided from its bytes; the name only has to agree.

The head of the stream gives the family (JPEG, PNG, PDF, OLE2, ZIP); ZIP-based formats
(DOCX, XLSX, OFD) are told apart by the entry names in the central directory, which sits
at the end of the file and is read from the tail the upload keeps while streaming.
"""

import struct
from dataclasses import dataclass

from app.core.errors import AppError

HEAD_BYTES = 256 * 1024
TAIL_BYTES = 256 * 1024


@dataclass(frozen=True)
class FileType:
    code: str
    extensions: tuple[str, ...]
    content_type: str
    is_image: bool = False


FILE_TYPES = {
    t.code: t
    for t in (
        FileType("jpeg", (".jpg", ".jpeg"), "image/jpeg", is_image=True),
        FileType("png", (".png",), "image/png", is_image=True),
        FileType("pdf", (".pdf",), "application/pdf"),
        FileType("ofd", (".ofd",), "application/ofd"),
        FileType("doc", (".doc",), "application/msword"),
        FileType("xls", (".xls",), "application/vnd.ms-excel"),
        FileType(
            "docx", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        FileType("xlsx", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
}
SUPPORTED_LABEL = "JPG、PNG、PDF、OFD、Word（DOC/DOCX）或 Excel（XLS/XLSX）"


class UnsupportedFileType(AppError):
    status = 415
    code = "material.unsupported_type"
    title = "不支持的文件类型"


def _family(head: bytes) -> str:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith((b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        raise UnsupportedFileType("不支持上传可执行文件或脚本")
    raise UnsupportedFileType(f"无法识别的文件内容，请上传{SUPPORTED_LABEL}文件")


def zip_entry_names(tail: bytes) -> list[str]:
    """Entry names from the central directory at the end of a ZIP archive."""
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        raise UnsupportedFileType("文件已损坏或不完整")
    entries, directory_size = struct.unpack("<HI", tail[end + 10 : end + 16])
    start = end - directory_size
    if start < 0:
        raise UnsupportedFileType("文件目录过大，无法识别")
    names, offset = [], start
    for _ in range(entries):
        if tail[offset : offset + 4] != b"PK\x01\x02":
            raise UnsupportedFileType("文件已损坏或不完整")
        name_length, extra_length, comment_length = struct.unpack("<HHH", tail[offset + 28 : offset + 34])
        names.append(tail[offset + 46 : offset + 46 + name_length].decode("utf-8", "replace"))
        offset += 46 + name_length + extra_length + comment_length
    return names


def _zip_type(names: list[str]) -> str:
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
    raise UnsupportedFileType(f"压缩文件不受支持，请上传{SUPPORTED_LABEL}文件")


def needs_tail(head: bytes) -> bool:
    return _family(head) == "zip"


def identify(head: bytes, tail: bytes, extension: str | None, allowed: list[str]) -> FileType:
    """The file's type from its content; ``extension`` (from the name) must agree with it."""
    family = _family(head)
    if family == "zip":
        code = _zip_type(zip_entry_names(tail))
    elif family == "ole2":
        # Word and Excel share the OLE2 container; the name says which one it claims to be.
        code = {".doc": "doc", ".xls": "xls"}.get(extension or "")
        if code is None:
            raise UnsupportedFileType("旧版 Office 文件请使用 .doc 或 .xls 扩展名")
    else:
        code = family
    file_type = FILE_TYPES[code]
    if code not in allowed:
        raise UnsupportedFileType(f"不支持上传 {code.upper()} 文件")
    if extension and extension not in file_type.extensions:
        raise UnsupportedFileType(f"文件内容为 {code.upper()}，与扩展名 {extension} 不符")
    return file_type
