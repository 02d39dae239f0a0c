"""Conditional GET for read-mostly public data: strong ETags over the exact body."""

import hashlib
import json
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

PUBLIC_CACHE_CONTROL = "public, max-age=300"


def cached_json(request: Request, payload: Any) -> Response:
    body = json.dumps(jsonable_encoder(payload), ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": PUBLIC_CACHE_CONTROL}
    if etag in _if_none_match(request):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=JSONResponse.media_type, headers=headers)


def _if_none_match(request: Request) -> set[str]:
    header = request.headers.get("if-none-match", "")
    if header.strip() == "*":
        return {"*"} | {t.strip().removeprefix("W/") for t in header.split(",")}
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
