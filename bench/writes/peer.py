"""The floor of our own stack for 我的办件: the same statements, the same JSON, nothing else.

A Starlette endpoint on a raw asyncpg pool, served exactly like the API (uvicorn, one worker, the
same loop and parser). Per request it does what the API must: checks the access token's
signature, audience, issuer and expiry, then in one transaction runs the API's two statements
(the caller's open session, the page of entries) and answers the same JSON, labels and
``allowed_actions`` included (the app's own pure functions give those). What it leaves out is
what the API adds: dependency resolution, the ORM and SQLAlchemy's statement layer, response
models, middleware (request id, security headers, metrics, access log) and audit of refusals.

    DATABASE_URL=postgresql+asyncpg://… uvicorn --app-dir bench/writes peer:app
"""

import contextlib
import json
from datetime import UTC, datetime

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.agencies.models import AgencyLevel
from app.applications.repository import NEWEST_FIRST
from app.applications.state_machine import Actor, Status, allowed_actions
from app.auth import tokens
from app.core.config import Settings
from app.core.pagination import cursor_after
from app.core.schemas import china_time

LIMIT = 20
OPEN_SESSION = """
SELECT users.role, users.agency_code, auth_sessions.created_at, auth_sessions.last_seen_at
FROM users JOIN auth_sessions ON auth_sessions.user_id = users.id
WHERE auth_sessions.id = $1 AND users.id = $2 AND auth_sessions.revoked_at IS NULL
  AND auth_sessions.expires_at > $3
"""
ENTRIES = """
SELECT a.id, a.number, a.item_code, a.agency_code, a.status, a.version, a.created_at, a.updated_at,
       a.submitted_at, a.decided_at, a.due_on, a.paused_on, a.due_on_at_pause, i.name AS item_name,
       g.code AS agency, g.name AS agency_name, g.short_name, g.level, f.after_submit,
       EXISTS (SELECT 1 FROM evaluations e WHERE e.application_id = a.id) AS evaluated,
       EXISTS (SELECT 1 FROM notices n WHERE n.application_id = a.id) AS has_notices
FROM applications a
JOIN service_items i ON i.code = a.item_code
LEFT OUTER JOIN agencies g ON g.code = a.agency_code
LEFT OUTER JOIN online_forms f ON f.item_code = a.item_code
WHERE a.applicant_id = $1
ORDER BY a.created_at DESC, a.id DESC
LIMIT $2
"""
settings = Settings()
pool: asyncpg.Pool | None = None


def _local(moment: datetime | None) -> str | None:
    return china_time(moment).isoformat() if moment is not None else None


def _entry(row: asyncpg.Record) -> dict:
    status = Status(row["status"])
    level = AgencyLevel(row["level"]) if row["agency"] is not None else None
    return {
        "id": row["id"],
        "number": row["number"],
        "item": {"code": row["item_code"], "label": row["item_name"]},
        "agency": None
        if level is None
        else {
            "code": row["agency"],
            "name": row["agency_name"],
            "short_name": row["short_name"],
            "level": level.value,
            "level_label": level.label,
        },
        "status": {"code": status.value, "label": status.label},
        "created_at": _local(row["created_at"]),
        "updated_at": _local(row["updated_at"]),
        "submitted_at": _local(row["submitted_at"]),
        "version": row["version"],
        "after_submit": row["after_submit"],
        "allowed_actions": allowed_actions(
            status,
            Actor.applicant,
            after_submit=row["after_submit"],
            numbered=row["number"] is not None,
            has_notices=row["has_notices"],
            evaluated=row["evaluated"],
        ),
        "evaluated": row["evaluated"],
        "deadline": None,
    }


class _Cursor:
    def __init__(self, row: asyncpg.Record) -> None:
        self.created_at, self.id = row["created_at"], row["id"]


async def my_applications(request: Request) -> Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        claims = tokens.read_token(settings, token, "access")
    except Exception:
        return JSONResponse({"detail": "unauthorised"}, status_code=401)
    async with pool.acquire() as connection, connection.transaction():
        caller = await connection.fetchrow(OPEN_SESSION, claims["sid"], claims["sub"], datetime.now(UTC))
        if caller is None:
            return JSONResponse({"detail": "unauthorised"}, status_code=401)
        rows = await connection.fetch(ENTRIES, claims["sub"], LIMIT + 1)
    page = rows[:LIMIT]
    next_cursor = cursor_after(_Cursor(page[-1]), NEWEST_FIRST) if len(rows) > LIMIT else None
    body = {"items": [_entry(row) for row in page], "next_cursor": next_cursor}
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


@contextlib.asynccontextmanager
async def lifespan(_app):
    global pool
    dsn = settings.sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(dsn, min_size=2, max_size=settings.db_pool_size * 2)
    yield
    await pool.close()


app = Starlette(routes=[Route("/api/v1/me/applications", my_applications)], lifespan=lifespan)
