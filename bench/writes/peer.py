"""The floor of our own stack for 我的办件: the same statements, the same JSON, nothing else.

A Starlette endpoint on a raw asyncpg pool, served exactly like the API (uvicorn, one worker, the
same loop and parser). Per request it does what the API must: checks the access token's
signature, audience, issuer and expiry, then in one transaction runs the API's two statements
(the caller's open session, the page of entries) and answers the same JSON, labels and
``allowed_actions`` included (the app's own pure functions give those). What it leaves out is
what the API adds: dependency resolution, the ORM and SQLAlchemy's statement layer, response
models, middleware (request id, security headers, metrics, access log) and audit of refusals.

It also submits (``POST /api/v1/applications/{id}/submit``) as the API does for the bench's
不合规燃油信息报告 drafts: the same ten statements with the same values (the caller's session,
the application, one lookup of everything the form names and three candidate numbers, the
materials; the change, its timeline entry, the webhook event, the message; the notices and the
timeline), the same checks of the form (the app's own ``form_errors``) and the same JSON. Like
the API's workers it knows the item's form and the levels handling it from the start.

    DATABASE_URL=postgresql+asyncpg://… uvicorn --app-dir bench/writes peer:app
"""

import contextlib
import json
import secrets
from datetime import UTC, datetime

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.agencies.models import AgencyLevel
from app.applications.repository import NEWEST_FIRST
from app.applications.service import CONTACT_PHONE
from app.applications.state_machine import Action, Actor, InvalidTransition, Status, allowed_actions, transition
from app.applications.validation import PICK_LISTS, form_errors
from app.auth import tokens
from app.catalog.rules import FormRules
from app.core.config import Settings
from app.core.db import new_id
from app.core.masking import mask_phone
from app.core.pagination import cursor_after
from app.core.pii import PersonalDataCipher
from app.core.schemas import china_time
from app.materials.service import FILE_TYPES

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
APPLICATION = """
SELECT id, number, item_code, applicant_id, agency_code, status, version, form, contact_name,
       contact_phone_encrypted, contact_phone_index, created_at, updated_at, submitted_at, due_on,
       paused_on, due_on_at_pause, decided_at
FROM applications WHERE id = $1
"""
MATERIALS = """
SELECT application_materials.slot, materials.id, materials.owner_id, materials.name, materials.kind,
       materials.file_type, materials.content_type, materials.size, materials.sha256,
       materials.storage_key, materials.thumbnail_key, materials.created_at, materials.deleted_at
FROM application_materials JOIN materials ON materials.id = application_materials.material_id
WHERE application_materials.application_id = $1
ORDER BY application_materials.slot, materials.created_at
"""
SUBMITTED = """
UPDATE applications SET number = $1, status = $2, version = $3, updated_at = $4, submitted_at = $5
WHERE id = $6 AND version = $7
"""
EVENT = """
INSERT INTO application_events (id, application_id, occurred_at, actor_id, actor_role, action,
                                from_status, to_status, comment)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
"""
OUTBOX = """
INSERT INTO outbox_events (id, type, subject_id, agency_code, data, occurred_at, fanned_out_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
"""
MESSAGE = """
INSERT INTO messages (id, recipient_id, category, title, body, subject_type, subject_id, created_at, read_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
"""
NOTICES = """
SELECT id, application_id, kind, number, issued_at, content FROM notices
WHERE application_id = $1 ORDER BY issued_at
"""
EVENTS = """
SELECT id, application_id, occurred_at, actor_id, actor_role, action, from_status, to_status, comment
FROM application_events WHERE application_id = $1 ORDER BY occurred_at, id
"""
settings = Settings()
pii = PersonalDataCipher(*settings.pii_keys)
pool: asyncpg.Pool | None = None
# What the API's workers keep per dataset version: each online item's form (and its parsed
# rules), its name, and the agencies with the levels handling the item.
forms: dict[str, asyncpg.Record] = {}
rules: dict[str, FormRules] = {}
items: dict[str, str] = {}
agencies: dict[str, asyncpg.Record] = {}
handling: set[tuple[str, str]] = set()


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


def _refused(status: int, detail: str) -> Response:
    return JSONResponse({"detail": detail}, status_code=status)


def _lookups(form_rules: FormRules, form: dict, owner_id: str, numbers: list[str]) -> tuple[str, list, list]:
    """The API's one lookup statement for this form: candidate numbers, pick lists, the ship;
    with what each asks, to read the answer by."""
    parts, values, asked = [], [], []

    def ask(table: str, column: str, wanted: list[str], owner: bool = False) -> None:
        tag = len(asked)
        holders = ", ".join(f"${len(values) + i + 1}" for i in range(len(wanted)))
        values.extend(wanted)
        where = f"{table}.{column} IN ({holders})"
        if owner:
            values.append(owner_id)
            where += f" AND {table}.owner_id = ${len(values)}"
        parts.append(f"SELECT {tag} AS tag, {table}.{column} AS value FROM {table} WHERE {where}")
        asked.append(wanted)

    ask("applications", "number", numbers)
    for rule in form_rules.pick_lists:
        value = form.get(rule.field)
        wanted = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
        if wanted:
            ask(PICK_LISTS[rule.list][0].__tablename__, "id", wanted)
    ship = form.get(form_rules.own_ship) if form_rules.own_ship else None
    if isinstance(ship, dict) and isinstance(ship.get("imo_number"), str):
        ask("ships", "imo_number", [ship["imo_number"]], owner=True)
    return " UNION ALL ".join(parts), values, asked


def _detail(application, agency, events, notices, materials, slot_names: dict, phone: str | None) -> dict:
    status = Status(application["status"])
    form = forms[application["item_code"]]
    level = AgencyLevel(agency["level"])
    return {
        "id": application["id"],
        "number": application["number"],
        "item": {"code": application["item_code"], "label": items[application["item_code"]]},
        "agency": {
            "code": agency["code"],
            "name": agency["name"],
            "short_name": agency["short_name"],
            "level": level.value,
            "level_label": level.label,
        },
        "status": {"code": status.value, "label": status.label},
        "created_at": _local(application["created_at"]),
        "updated_at": _local(application["updated_at"]),
        "submitted_at": _local(application["submitted_at"]),
        "version": application["version"],
        "after_submit": form["after_submit"],
        "allowed_actions": allowed_actions(
            status, Actor.applicant, after_submit=form["after_submit"], numbered=True,
            has_notices=bool(notices), evaluated=False,
        ),
        "evaluated": False,
        "deadline": None,
        "form": application["form"],
        "materials": [
            {
                "slot": row["slot"],
                "slot_name": slot_names.get(row["slot"], row["slot"]),
                "material": {
                    "id": row["id"],
                    "name": row["name"],
                    "kind": row["kind"],
                    "file_type": row["file_type"],
                    "content_type": row["content_type"],
                    "size": row["size"],
                    "sha256": row["sha256"],
                    "is_image": FILE_TYPES[row["file_type"]].is_image,
                    "has_thumbnail": row["thumbnail_key"] is not None,
                    "created_at": _local(row["created_at"]),
                },
            }
            for row in materials
        ],
        "contact_name": application["contact_name"],
        "contact_phone": mask_phone(phone) if phone else None,
        "timeline": [
            {
                "occurred_at": _local(event["occurred_at"]),
                "action": {"code": event["action"], "label": Action(event["action"]).label},
                "status": {"code": event["to_status"], "label": Status(event["to_status"]).label},
                "actor": "申请人" if event["actor_role"] in ("personal", "corporate") else agency["name"],
                "comment": event["comment"],
            }
            for event in events
        ],
        "notices": [
            {"id": n["id"], "kind": n["kind"], "number": n["number"], "issued_at": _local(n["issued_at"])}
            for n in notices
        ],
        "supplement_request": None,
    }


async def submit(request: Request) -> Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        claims = tokens.read_token(settings, token, "access")
    except Exception:
        return _refused(401, "unauthorised")
    async with pool.acquire() as connection, connection.transaction():
        caller = await connection.fetchrow(OPEN_SESSION, claims["sid"], claims["sub"], datetime.now(UTC))
        if caller is None:
            return _refused(401, "unauthorised")
        application = await connection.fetchrow(APPLICATION, request.path_params["id"])
        if application is None or application["applicant_id"] != claims["sub"]:
            return _refused(404, "not found")
        form, form_rules = forms[application["item_code"]], rules[application["item_code"]]
        try:
            step = transition(Status(application["status"]), Action.submit, Actor.applicant, after_submit=form["after_submit"])
        except InvalidTransition as refusal:
            return _refused(409, str(refusal))
        content = json.loads(application["form"])
        numbers = [f"HS{china_time(datetime.now(UTC)):%Y%m%d}{secrets.randbelow(1_000_000):06d}" for _ in range(3)]
        lookup, values, asked = _lookups(form_rules, content, application["applicant_id"], numbers)
        found = {(row["tag"], row["value"]) for row in await connection.fetch(lookup, *values)}
        materials = await connection.fetch(MATERIALS, application["id"])
        attached = {row["slot"] for row in materials if row["owner_id"] == application["applicant_id"]}
        slots = json.loads(form["material_slots"])
        agency = agencies[application["agency_code"]]
        wrong = form_errors(json.loads(form["form_schema"]), form_rules, content)
        wrong += [(tag, v) for tag, wanted in enumerate(asked[1:], 1) for v in wanted if (tag, v) not in found]
        wrong += [slot["slot"] for slot in slots if slot["required"] and slot["slot"] not in attached]
        if (application["item_code"], agency["level"]) not in handling:
            wrong.append("agency")
        if wrong or not application["contact_name"]:
            return _refused(422, "invalid")
        number = next(n for n in numbers if (0, n) not in found)
        now = datetime.now(UTC)
        version = application["version"] + 1
        done = await connection.execute(
            SUBMITTED, number, step.target.value, version, now, now, application["id"], application["version"]
        )
        if done != "UPDATE 1":
            return _refused(409, "busy")
        await connection.execute(
            EVENT, new_id(), application["id"], now, claims["sub"], caller["role"], Action.submit.value,
            step.source.value, step.target.value, None,
        )
        data = {
            "id": application["id"],
            "number": number,
            "item_code": application["item_code"],
            "agency_code": application["agency_code"],
            "status": step.target.value,
            "action": Action.submit.value,
            "occurred_at": now.isoformat(),
        }
        await connection.execute(
            OUTBOX, new_id(), f"application.{step.target.value}", application["id"], application["agency_code"],
            json.dumps(data), now, None,
        )
        item_name = items[application["item_code"]]
        await connection.execute(
            MESSAGE, new_id(), application["applicant_id"], "application", f"办件{step.target.label}",
            f"您申请的“{item_name}”（申请编号 {number}）已{Action.submit.label}，当前状态：{step.target.label}。",
            "application", application["id"], now, None,
        )
        notices = await connection.fetch(NOTICES, application["id"])
        events = await connection.fetch(EVENTS, application["id"])
    changed = {**application, "number": number, "status": step.target.value, "version": version,
               "updated_at": now, "submitted_at": now, "form": content}
    encrypted = application["contact_phone_encrypted"]
    phone = pii.decrypt(encrypted, purpose=CONTACT_PHONE) if encrypted else None
    slot_names = {slot["slot"]: slot["name"] for slot in slots}
    body = _detail(changed, agency, events, notices, materials, slot_names, phone)
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


async def _know_the_dataset(connection: asyncpg.Connection) -> None:
    for form in await connection.fetch("SELECT * FROM online_forms"):
        forms[form["item_code"]] = form
        rules[form["item_code"]] = FormRules.model_validate(json.loads(form["rules"]))
    items.update({row["code"]: row["name"] for row in await connection.fetch("SELECT code, name FROM service_items")})
    agencies.update({row["code"]: row for row in await connection.fetch("SELECT * FROM agencies")})
    handling.update(tuple(row) for row in await connection.fetch("SELECT item_code, level FROM service_item_levels"))


@contextlib.asynccontextmanager
async def lifespan(_app):
    global pool
    dsn = settings.sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(dsn, min_size=2, max_size=settings.db_pool_size * 2)
    async with pool.acquire() as connection:
        await _know_the_dataset(connection)
    yield
    await pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/me/applications", my_applications),
        Route("/api/v1/applications/{id}/submit", submit, methods=["POST"]),
    ],
    lifespan=lifespan,
)
