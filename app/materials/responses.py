"""The bytes of a material as a response: streamed through the API or a signed redirect."""

from collections.abc import AsyncIterator

from fastapi import Response, status
from fastapi.responses import RedirectResponse, StreamingResponse

from app.integrations.storage.base import ObjectStorage
from app.materials.file_types import FILE_TYPES
from app.materials.models import Material
from app.materials.service import content_disposition, stored_variant

_STORED_TYPES = sorted({file_type.content_type for file_type in FILE_TYPES.values()})
_BINARY = {"schema": {"type": "string", "format": "binary"}}

# What the content routes answer besides errors. `application/octet-stream` comes first: a
# generator types the download from the first media type it knows, and none knows image/jpeg.
# The stored types follow because the bytes go out with the type they were stored as, and the
# contract states every type the server sends.
CONTENT_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "文件内容；响应头 `Content-Type` 为文件的实际类型（" + "、".join(_STORED_TYPES) + "）",
        "content": {"application/octet-stream": _BINARY} | {content_type: _BINARY for content_type in _STORED_TYPES},
        "headers": {
            "Content-Type": {
                "description": "文件的实际类型",
                "schema": {"type": "string", "enum": _STORED_TYPES},
            },
            "Content-Disposition": {
                "description": "下载时建议的文件名（RFC 6266）",
                "schema": {"type": "string"},
            },
        },
    },
    307: {"description": "重定向到短时有效的下载地址"},
}


async def material_content(storage: ObjectStorage, material: Material, variant: str = "original") -> Response:
    key, content_type, name = stored_variant(material, variant)
    disposition = content_disposition(name)
    url = await storage.download_url(key, content_type=content_type, disposition=disposition)
    if url is not None:
        return RedirectResponse(url, status_code=status.HTTP_307_TEMPORARY_REDIRECT)
    headers = {
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    if variant == "original":
        headers["Content-Length"] = str(material.size)
    body = await _opened(storage.read(key))
    return StreamingResponse(body, media_type=content_type, headers=headers)


async def _opened(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """Read the first chunk before the response starts: once a 200 has gone out, a store
    that is down could only cut the body short; before, it is a clean 503 problem."""
    first = await anext(chunks, b"")

    async def body() -> AsyncIterator[bytes]:
        yield first
        async for chunk in chunks:
            yield chunk

    return body()
