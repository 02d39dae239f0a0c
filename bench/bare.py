"""The baseline: a bare Starlette JSON endpoint, served exactly like the API."""

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def hello(_request) -> JSONResponse:
    return JSONResponse({"status": "ok", "service": "baseline"})


app = Starlette(routes=[Route("/", hello)])
