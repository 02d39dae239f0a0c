"""Liveness and readiness for load balancers and orchestrators."""

import asyncio
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.core.schemas import AppModel

router = APIRouter(tags=["ops"])
log = logging.getLogger(__name__)
READINESS_TIMEOUT_S = 3.0


class Health(AppModel):
    status: str


class Readiness(AppModel):
    status: str
    checks: dict[str, str]


@router.get("/healthz", summary="存活检查", response_model=Health)
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    summary="就绪检查（数据库与存储）",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "数据库或存储不可用"}},
)
async def readyz(request: Request) -> JSONResponse:
    checks = {
        "database": await _check("database", _ping_database(request)),
        "storage": await _check("storage", request.app.state.adapters.storage.check()),
    }
    ready = all(result == "ok" for result in checks.values())
    body = Readiness(status="ok" if ready else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


async def _ping_database(request: Request) -> None:
    async with request.app.state.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _check(name: str, probe) -> str:
    try:
        await asyncio.wait_for(probe, READINESS_TIMEOUT_S)
    except Exception:
        log.warning("readiness check failed", extra={"check": name}, exc_info=True)
        return "unavailable"
    return "ok"
