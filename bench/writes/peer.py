"""The floor of our own stack for 我的办件: the same statements, the same JSON, nothing else.

A Starlette endpoint on a raw asyncpg pool, served exactly like the API (uvicorn, one worker, the
same loop and parser). Per request it does what the API must: checks the access token's
signature, audience, issuer and expiry, then runs the API's two statements (the caller's open
session, the page of entries) and answers the same JSON, labels and ``allowed_actions`` included
(the app's own pure functions give those). Transactions begin where the API's do: the API sends
its hot reads straight to asyncpg, which begins a transaction only at the first statement that
goes through SQLAlchemy (``app.core.driver_reads``), so 我的办件, the staff queue and an
application's detail run without one (but when a staff member's activity is written, once a
minute), and a submit begins its own once the caller's session is checked. What it leaves out
is what the API adds: dependency resolution, the ORM and SQLAlchemy's statement layer, response
models, middleware (request id, security headers, metrics, access log) and audit of refusals.

It also submits (``POST /api/v1/applications/{id}/submit``) as the API does for the bench's
不合规燃油信息报告 drafts: the same ten statements with the same values (the caller's session,
the application, one lookup of everything the form names and three candidate numbers, the
materials; the change, its timeline entry, the webhook event, the message; the notices and the
timeline), the same checks of the form (the app's own ``form_errors``) and the same JSON. Like
the API's workers it knows the item's form and the levels handling it from the start.

The staff queue (``GET /api/v1/staff/applications``, a staff member's first page) runs the API's
statements the same way: the caller's session, at most once a minute the session's activity
(privileged sessions end when idle, as the API's ``_mark_activity``) and the page (the newest of
each agency of the caller's subtree, the newest of those, their entries; the agency tree it knows
from the start, as the API's workers keep it per dataset version); entries carry the API's
deadline (the app's own ``deadline_of``). An application's detail
(``GET /api/v1/applications/{id}``, its applicant's view) runs the caller's session, the
application, its materials, notices, whether it was rated (only once decided, as the API) and its
timeline; the item, its form and the agency it knows from
the start, as the API's workers keep them per dataset version. Every endpoint checks the caller's
role as the API's routes do. Only the unfiltered first page of either list is served.

    DATABASE_URL=postgresql+asyncpg://… uvicorn --app-dir bench/writes peer:app
"""

import contextlib
import functools
import json
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.agencies.models import AgencyLevel
from app.applications import deadlines
from app.applications.notices import NoticeKind
from app.applications.repository import NEWEST_FIRST
from app.applications.service import CONTACT_PHONE
from app.applications.state_machine import (
    FINISHED,
    Action,
    Actor,
    InvalidTransition,
    Status,
    allowed_actions,
    transition,
)
from app.applications.supplement import open_request
from app.applications.validation import PICK_LISTS, form_errors
from app.auth import tokens
from app.catalog.rules import FormRules
from app.core.auth import APPLICANT_ROLES, SECOND_FACTOR_ROLES, STAFF_ROLES, Role
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
TOUCH = "UPDATE auth_sessions SET last_seen_at = $1 WHERE auth_sessions.id = $2"
ENTRY = """
SELECT a.id, a.number, a.item_code, a.agency_code, a.status, a.version, a.created_at, a.updated_at,
       a.submitted_at, a.decided_at, a.due_on, a.paused_on, a.due_on_at_pause, i.name AS item_name,
       g.code AS agency, g.name AS agency_name, g.short_name, g.level, f.after_submit,
       EXISTS (SELECT 1 FROM evaluations e WHERE e.application_id = a.id) AS evaluated,
       EXISTS (SELECT 1 FROM notices n WHERE n.application_id = a.id) AS has_notices
FROM applications a
JOIN service_items i ON i.code = a.item_code
LEFT OUTER JOIN agencies g ON g.code = a.agency_code
LEFT OUTER JOIN online_forms f ON f.item_code = a.item_code
"""
ENTRIES = ENTRY + """WHERE a.applicant_id = $1
ORDER BY a.created_at DESC, a.id DESC
LIMIT $2
"""
APPLICATION = """
SELECT id, number, item_code, applicant_id, agency_code, status, version, form, contact_name,
       contact_phone_encrypted, contact_phone_index, created_at, updated_at, submitted_at, dataset_version,
       due_on, paused_on, due_on_at_pause, decided_at
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
EVALUATED = "SELECT id FROM evaluations WHERE application_id = $1"
SUBMITTED = """
UPDATE applications SET number = $1, status = $2, version = $3, updated_at = $4, submitted_at = $5,
                        dataset_version = $6
WHERE id = $7 AND version = $8
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
# rules and material slots), its name, the agencies with the levels handling the item, and the
# current version (a first submit records it).
forms: dict[str, asyncpg.Record] = {}
rules: dict[str, FormRules] = {}
slots: dict[str, list[dict]] = {}
items: dict[str, str] = {}
agencies: dict[str, asyncpg.Record] = {}
handling: set[tuple[str, str]] = set()
dataset_version: int | None = None


@functools.cache
def _queue(count: int) -> str:
    """The staff queue's page across ``count`` agencies, as the API's ``_newest_across_agencies``:
    the newest ``LIMIT + 1`` open applications of each agency (codes $1, $3 …, limits $2, $4 …), the
    newest ``LIMIT + 1`` of those, then their entries (the last two limits)."""
    newest = " UNION ALL ".join(
        f"SELECT n{i}.id, n{i}.created_at FROM (SELECT id, created_at FROM applications"
        f" WHERE status != 'draft' AND agency_code = ${2 * i + 1}"
        f" ORDER BY created_at DESC, id DESC LIMIT ${2 * i + 2}) n{i}"
        for i in range(count)
    )
    page = f"SELECT c.id FROM ({newest}) c ORDER BY c.created_at DESC, c.id DESC LIMIT ${2 * count + 1}"
    return ENTRY + f"WHERE a.id IN ({page})\nORDER BY a.created_at DESC, a.id DESC\nLIMIT ${2 * count + 2}\n"


class Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        self.status, self.detail = status, detail


def _answering(endpoint):
    """``endpoint``, its refusals answered as such (raised in a transaction, they roll it back)."""

    @functools.wraps(endpoint)
    async def answer(request: Request) -> Response:
        try:
            return await endpoint(request)
        except Refused as refusal:
            return JSONResponse({"detail": refusal.detail}, status_code=refusal.status)

    return answer


def _json(body: dict, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, media_type="application/json", headers=headers)


def _claims(request: Request) -> dict:
    """The access token's claims: signature, audience, issuer and expiry checked."""
    _scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        return tokens.read_token(settings, token, "access")
    except Exception:
        raise Refused(401, "unauthorised") from None


async def _caller(connection: asyncpg.Connection, claims: dict, roles: tuple[Role, ...]) -> asyncpg.Record:
    """As the API's ``tokens.authenticate`` and role check: the caller's open session; for the
    privileged roles the idle check and, at most once a minute, their activity noted."""
    now = datetime.now(UTC)
    caller = await connection.fetchrow(OPEN_SESSION, claims["sid"], claims["sub"], now)
    if caller is None:
        raise Refused(401, "unauthorised")
    role = Role(caller["role"])
    if role in SECOND_FACTOR_ROLES:
        last_seen = caller["last_seen_at"] or caller["created_at"]
        if now - last_seen > settings.session_idle_timeout:
            raise Refused(401, "session idle")  # the API also revokes it and records that
        if now - last_seen >= tokens.ACTIVITY_GRANULARITY:
            await connection.execute(TOUCH, now, claims["sid"])
    if role not in roles:
        raise Refused(403, "forbidden")
    return caller


def _local(moment: datetime | None) -> str | None:
    return china_time(moment).isoformat() if moment is not None else None


class _Fields:
    """A row read by attribute, as the app's pure functions (cursors, deadlines) read the ORM's."""

    def __init__(self, row) -> None:
        self._row = row

    def __getattr__(self, name: str):
        return self._row[name]


def _agency_ref(code: str, name: str, short_name: str, level: str) -> dict:
    level = AgencyLevel(level)
    return {
        "code": code, "name": name, "short_name": short_name, "level": level.value, "level_label": level.label
    }


def _entry(row: asyncpg.Record, viewer: Actor, today) -> dict:
    """A list entry; ``today`` (staff): with the application's deadline."""
    status = Status(row["status"])
    deadline = None
    if today is not None:
        found = deadlines.deadline_of(
            _Fields(row), today=today, warning_days=settings.deadline_warning_working_days
        )
        deadline = found.model_dump(mode="json") if found is not None else None
    return {
        "id": row["id"],
        "number": row["number"],
        "item": {"code": row["item_code"], "label": row["item_name"]},
        "agency": None
        if row["agency"] is None
        else _agency_ref(row["agency"], row["agency_name"], row["short_name"], row["level"]),
        "status": {"code": status.value, "label": status.label},
        "created_at": _local(row["created_at"]),
        "updated_at": _local(row["updated_at"]),
        "submitted_at": _local(row["submitted_at"]),
        "version": row["version"],
        "after_submit": row["after_submit"],
        "allowed_actions": allowed_actions(
            status,
            viewer,
            after_submit=row["after_submit"],
            numbered=row["number"] is not None,
            has_notices=row["has_notices"],
            evaluated=row["evaluated"],
        ),
        "evaluated": row["evaluated"],
        "deadline": deadline,
    }


def _page(rows: list[asyncpg.Record], viewer: Actor, today=None) -> Response:
    """A page of entries (``LIMIT + 1`` rows read) with the cursor of the next, if any."""
    page = rows[:LIMIT]
    next_cursor = cursor_after(_Fields(page[-1]), NEWEST_FIRST) if len(rows) > LIMIT else None
    return _json({"items": [_entry(row, viewer, today) for row in page], "next_cursor": next_cursor})


@_answering
async def my_applications(request: Request) -> Response:
    claims = _claims(request)
    async with pool.acquire() as connection:
        await _caller(connection, claims, APPLICANT_ROLES)
        rows = await connection.fetch(ENTRIES, claims["sub"], LIMIT + 1)
    return _page(rows, Actor.applicant)


def _subtree(rows: Iterable[asyncpg.Record], code: str) -> list[str]:
    """``code`` and every agency below it, sorted (the API's ``agency_subtree``)."""
    children: dict[str | None, list[str]] = {}
    for row in rows:
        children.setdefault(row["parent_code"], []).append(row["code"])
    codes, pending = set(), [code]
    while pending:
        current = pending.pop()
        codes.add(current)
        pending.extend(children.get(current, ()))
    return sorted(codes)


@_answering
async def staff_queue(request: Request) -> Response:
    claims = _claims(request)
    async with pool.acquire() as connection:
        caller = await _caller(connection, claims, STAFF_ROLES)
        rows = []
        if caller["agency_code"] is not None:
            codes = _subtree(agencies.values(), caller["agency_code"])
            values = [value for code in codes for value in (code, LIMIT + 1)]
            rows = await connection.fetch(_queue(len(codes)), *values, LIMIT + 1, LIMIT + 1)
    return _page(rows, Actor.staff, today=deadlines.today())


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


def _supplement(notices: list[asyncpg.Record], item_code: str) -> dict | None:
    """The open 补正 request (the app's own ``open_request``)."""
    read = [_Fields({**notice, "content": json.loads(notice["content"])}) for notice in notices]
    found = open_request(read, _Fields({"material_slots": slots[item_code]}))
    return found.model_dump(mode="json") if found is not None else None


def _detail(application, form: dict, events, notices, materials, *, evaluated: bool) -> dict:
    """An application as its applicant sees it (the API's ``presenter.detail``)."""
    status = Status(application["status"])
    item_code = application["item_code"]
    after_submit = forms[item_code]["after_submit"]
    agency = agencies.get(application["agency_code"])
    slot_names = {slot["slot"]: slot["name"] for slot in slots[item_code]}
    encrypted = application["contact_phone_encrypted"]
    phone = pii.decrypt(encrypted, purpose=CONTACT_PHONE) if encrypted else None
    return {
        "id": application["id"],
        "number": application["number"],
        "item": {"code": item_code, "label": items[item_code]},
        "agency": None
        if agency is None
        else _agency_ref(agency["code"], agency["name"], agency["short_name"], agency["level"]),
        "status": {"code": status.value, "label": status.label},
        "created_at": _local(application["created_at"]),
        "updated_at": _local(application["updated_at"]),
        "submitted_at": _local(application["submitted_at"]),
        "version": application["version"],
        "after_submit": after_submit,
        "allowed_actions": allowed_actions(
            status,
            Actor.applicant,
            after_submit=after_submit,
            numbered=application["number"] is not None,
            has_notices=bool(notices),
            evaluated=evaluated,
        ),
        "evaluated": evaluated,
        "deadline": None,
        "form": form,
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
                "actor": "申请人"
                if event["actor_role"] in APPLICANT_ROLES
                else (agency["name"] if agency is not None else "受理机构"),
                "comment": event["comment"],
            }
            for event in events
        ],
        "notices": [
            {
                "id": n["id"],
                "kind": {"code": n["kind"], "label": NoticeKind(n["kind"]).label},
                "number": n["number"],
                "issued_at": _local(n["issued_at"]),
            }
            for n in notices
        ],
        "supplement_request": _supplement(notices, item_code)
        if status is Status.supplement_required
        else None,
    }


def _application_answer(body: dict) -> Response:
    return _json(body, headers={"ETag": f'"{body["version"]}"'})


@_answering
async def application_detail(request: Request) -> Response:
    claims = _claims(request)
    async with pool.acquire() as connection:
        await _caller(connection, claims, APPLICANT_ROLES)
        application = await connection.fetchrow(APPLICATION, request.path_params["id"])
        if application is None or application["applicant_id"] != claims["sub"]:
            raise Refused(404, "not found")
        materials = await connection.fetch(MATERIALS, application["id"])
        notices = await connection.fetch(NOTICES, application["id"])
        # Only a finished application can have been rated (as the API: asked only then).
        evaluated = Status(application["status"]) in FINISHED and (
            await connection.fetchval(EVALUATED, application["id"]) is not None
        )
        events = await connection.fetch(EVENTS, application["id"])
    form = json.loads(application["form"])
    return _application_answer(_detail(application, form, events, notices, materials, evaluated=evaluated))


@_answering
async def submit(request: Request) -> Response:
    claims = _claims(request)
    async with pool.acquire() as connection:
        caller = await _caller(connection, claims, APPLICANT_ROLES)
        async with connection.transaction():
            application = await connection.fetchrow(APPLICATION, request.path_params["id"])
            if application is None or application["applicant_id"] != claims["sub"]:
                raise Refused(404, "not found")
            form, form_rules = forms[application["item_code"]], rules[application["item_code"]]
            status = Status(application["status"])
            try:
                step = transition(status, Action.submit, Actor.applicant, after_submit=form["after_submit"])
            except InvalidTransition as refusal:
                raise Refused(409, str(refusal)) from None
            content = json.loads(application["form"])
            day = f"{china_time(datetime.now(UTC)):%Y%m%d}"
            numbers = [f"HS{day}{secrets.randbelow(1_000_000):06d}" for _ in range(3)]
            lookup, values, asked = _lookups(form_rules, content, application["applicant_id"], numbers)
            found = {(row["tag"], row["value"]) for row in await connection.fetch(lookup, *values)}
            materials = await connection.fetch(MATERIALS, application["id"])
            attached = {row["slot"] for row in materials if row["owner_id"] == application["applicant_id"]}
            agency = agencies[application["agency_code"]]
            wrong = form_errors(json.loads(form["form_schema"]), form_rules, content)
            named = [(tag, v) for tag, wanted in enumerate(asked[1:], 1) for v in wanted]
            wrong += [pair for pair in named if pair not in found]
            needed = (slot["slot"] for slot in slots[application["item_code"]] if slot["required"])
            wrong += [slot for slot in needed if slot not in attached]
            if (application["item_code"], agency["level"]) not in handling:
                wrong.append("agency")
            if wrong or not application["contact_name"]:
                raise Refused(422, "invalid")
            number = next(n for n in numbers if (0, n) not in found)
            now = datetime.now(UTC)
            version = application["version"] + 1
            # A first submit records the dataset version its guide stays at (the API's worker keeps it).
            kept_at = application["dataset_version"]
            done = await connection.execute(
                SUBMITTED, number, step.target.value, version, now, now,
                dataset_version if kept_at is None else kept_at, application["id"], application["version"],
            )
            if done != "UPDATE 1":
                raise Refused(409, "busy")
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
                OUTBOX, new_id(), f"application.{step.target.value}", application["id"],
                application["agency_code"], json.dumps(data), now, None,
            )
            item_name = items[application["item_code"]]
            await connection.execute(
                MESSAGE, new_id(), application["applicant_id"], "application", f"办件{step.target.label}",
                f"您申请的“{item_name}”（申请编号 {number}）已{Action.submit.label}，"
                f"当前状态：{step.target.label}。",
                "application", application["id"], now, None,
            )
            notices = await connection.fetch(NOTICES, application["id"])
            events = await connection.fetch(EVENTS, application["id"])
    changed = {**application, "number": number, "status": step.target.value, "version": version,
               "updated_at": now, "submitted_at": now}
    return _application_answer(_detail(changed, content, events, notices, materials, evaluated=False))


async def _know_the_dataset(connection: asyncpg.Connection) -> None:
    global dataset_version
    for form in await connection.fetch("SELECT * FROM online_forms"):
        forms[form["item_code"]] = form
        rules[form["item_code"]] = FormRules.model_validate(json.loads(form["rules"]))
        slots[form["item_code"]] = json.loads(form["material_slots"])
    for row in await connection.fetch("SELECT code, name FROM service_items"):
        items[row["code"]] = row["name"]
    agencies.update({row["code"]: row for row in await connection.fetch("SELECT * FROM agencies")})
    handling.update(map(tuple, await connection.fetch("SELECT item_code, level FROM service_item_levels")))
    dataset_version = await connection.fetchval(
        "SELECT max(number) FROM dataset_versions WHERE state = 'published'"
    )


async def _nothing_to_reset(_connection) -> None:
    """As SQLAlchemy's pool for the API: every request's transaction has ended when its connection
    goes back, so there is nothing to reset (asyncpg's own reset would cost each request one more
    round trip, which the API does not pay)."""


@contextlib.asynccontextmanager
async def lifespan(_app):
    global pool
    dsn = settings.sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(
        dsn, min_size=2, max_size=settings.db_pool_size * 2, reset=_nothing_to_reset
    )
    async with pool.acquire() as connection:
        await _know_the_dataset(connection)
    yield
    await pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/me/applications", my_applications),
        Route("/api/v1/staff/applications", staff_queue),
        Route("/api/v1/applications/{id}", application_detail),
        Route("/api/v1/applications/{id}/submit", submit, methods=["POST"]),
    ],
    lifespan=lifespan,
)
