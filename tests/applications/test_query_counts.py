"""Lists cost a fixed number of queries, however many rows they show (no N+1); a submit asks the
database at most ten times."""

import asyncio

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import delete, event

from app.agencies.models import Agency
from app.applications import repository, validation
from app.applications.models import Application, ApplicationEvent, Notice
from app.catalog.models import ServiceItemLevel
from app.core.read_cache import bump
from app.materials.models import Material
from tests.support.applying import decide, field_errors, filled_draft, submit_draft, submitted_application
from tests.support.statements import statements_sent


@pytest.fixture
def statements(engine):
    with statements_sent(engine) as seen:
        yield seen


async def _queries(statements: list[str], request) -> int:
    statements.clear()
    response = await request()
    assert response.status_code == 200, response.text
    return len(statements)


async def test_my_applications_and_the_staff_queue_do_not_grow_with_their_rows(api, corp, staff, statements):
    await submitted_application(api, corp, "WF-002")

    def mine():
        return api.get("/me/applications", params={"limit": 100}, headers=corp)

    def queue():
        return api.get("/staff/applications", params={"limit": 100}, headers=staff)

    await queue()  # the worker learns the agency tree once (kept per dataset version)
    mine_with_one, queue_with_one = await _queries(statements, mine), await _queries(statements, queue)
    for _ in range(4):
        await decide(api, staff, await submitted_application(api, corp, "TH-001"), "accept")

    assert mine_with_one > 0
    assert await _queries(statements, mine) == mine_with_one
    assert await _queries(statements, queue) == queue_with_one


async def test_the_lists_every_user_opens_are_built_once_and_bound_per_request(api, corp, staff, monkeypatch):
    """Building a statement costs more than running it (bench/writes/layers.py): once a shape of
    我的办件 or of the staff queue has been asked for, another page, another filter value or another
    caller builds nothing."""
    await submitted_application(api, corp, "WF-002")
    await submitted_application(api, corp, "WF-002")
    for shapes in (repository._applicant_page, repository._queue_statement, repository._newest_across_agencies):
        shapes.cache_clear()  # other tests of this process built them already
    built: list[tuple] = []
    entries = repository._entries
    monkeypatch.setattr(repository, "_entries", lambda *conditions: built.append(conditions) or entries(*conditions))
    lists = [
        ("/me/applications", {"limit": 1}, corp),
        ("/me/applications", {"limit": 1, "status": "submitted"}, corp),
        ("/staff/applications", {"limit": 1, "status": "submitted"}, staff),
        ("/staff/applications", {"limit": 1, "sort": "deadline"}, staff),
    ]

    async def first_pages() -> list[str]:
        cursors = []
        for path, params, who in lists:
            page = await api.get(path, params=params, headers=who)
            assert page.status_code == 200, page.text
            cursors.append(page.json()["next_cursor"])
        return cursors

    async def second_pages(cursors: list[str]) -> None:
        for (path, params, who), cursor in zip(lists, cursors, strict=True):
            page = await api.get(path, params={**params, "cursor": cursor}, headers=who)
            assert page.status_code == 200, page.text
            assert len(page.json()["items"]) == 1

    await second_pages(await first_pages())
    shapes = len(built)
    assert shapes > 0
    await second_pages(await first_pages())
    for status in ("draft", "accepted"):
        assert (await api.get("/me/applications", params={"status": status}, headers=corp)).status_code == 200
    assert len(built) == shapes


async def test_an_applications_detail_shows_what_it_holds_from_plain_rows(api, corp, staff, session):
    """The detail only shows: the application, its materials, notices and timeline come as rows,
    which cost a fraction of ORM objects to build (a change loads the application as one)."""
    application = await submitted_application(api, corp, "WF-002")
    await decide(api, staff, application, "accept")
    session.expunge_all()  # the test's requests share one session: nothing of theirs is kept
    loaded: list[str] = []

    def record(target, _context) -> None:
        loaded.append(type(target).__name__)

    for model in (Application, Material, Notice, ApplicationEvent):
        event.listen(model, "load", record)
    try:
        detail = await api.get(f"/applications/{application['id']}", headers=corp)
    finally:
        for model in (Application, Material, Notice, ApplicationEvent):
            event.remove(model, "load", record)

    assert detail.status_code == 200, detail.text
    shown = detail.json()
    assert shown["materials"] and shown["notices"] and len(shown["timeline"]) == 2
    assert loaded == []


async def test_my_applications_asks_the_database_twice_who_is_calling_and_the_page(api, corp, statements):
    """Whether each was rated or has a notice, its item's 提交后 choice and its agency come with the
    page, in the same statement."""
    await submitted_application(api, corp, "WF-002")

    await _queries(statements, lambda: api.get("/me/applications", headers=corp))

    asked = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(asked) == 2, asked
    assert "auth_sessions" in asked[0] and "FROM applications" in asked[1]


async def test_a_submit_checks_every_pick_list_at_once_and_reads_its_reference_rows_once(
    api, corp, statements
):
    """WF-002 names a fuel supplier, a port, a country and regulation items: one statement checks
    them all. The item, its form and the agency the rules read serve the answer too: none is read
    twice."""
    draft = await filled_draft(api, corp, "WF-002")
    created = (await api.post("/applications", json=draft, headers=corp)).json()

    await _queries(statements, lambda: api.post(f"/applications/{created['id']}/submit", headers=corp))

    def reading(table: str) -> list[str]:
        return [s for s in statements if s.startswith("SELECT") and f"FROM {table}" in s]

    pick_lists = [s for s in statements if any(f"FROM {t}" in s for t in ("fuel_suppliers", "ports", "countries"))]
    assert len(pick_lists) == 1 and "regulation_items" in pick_lists[0]
    assert all(len(reading(table)) <= 1 for table in ("online_forms", "service_items", "agencies"))
    # No WeChat status template is configured here: the applicant's account is not read for one.
    assert not [s for s in statements if s.startswith("SELECT users.id")]


async def test_the_statement_checking_what_a_form_names_is_built_once_per_form(api, corp):
    """Submits of one item ask the same questions with other values (other suppliers, ports,
    numbers): the statement asking them all is built for the first and bound for the next."""
    validation._lookup_statement.cache_clear()  # other tests of this process built it already
    for _ in range(3):
        await submitted_application(api, corp, "WF-002")
    built = validation._lookup_statement.cache_info()
    assert (built.misses, built.hits) == (1, 2)


async def test_a_submit_writes_the_change_and_everything_it_says_in_one_flush(api, corp, session):
    """The update, its timeline entry, the webhook event and the applicant's message go out
    together: every flush costs SQLAlchemy's unit of work once more."""
    draft = await filled_draft(api, corp, "WF-002")
    created = (await api.post("/applications", json=draft, headers=corp)).json()
    flushed: list[tuple[list[str], list[str]]] = []  # each flush's inserts and updates

    def record(flushing, _context) -> None:
        inserted, updated = (
            sorted(type(row).__name__ for row in rows) for rows in (flushing.new, flushing.dirty)
        )
        flushed.append((inserted, updated))

    event.listen(session.sync_session, "after_flush", record)
    try:
        submitted = await api.post(f"/applications/{created['id']}/submit", headers=corp)
    finally:
        event.remove(session.sync_session, "after_flush", record)

    assert submitted.status_code == 200, submitted.text
    assert flushed == [(["ApplicationEvent", "Message", "OutboxEvent"], ["Application"])]


def _asked(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


async def test_a_submit_asks_the_database_at_most_ten_times(api, corp, statements):
    """Who is calling; the application; everything the form names that must exist (pick-list
    entries, the applicant's ship) and a free application number, in one statement; its
    materials, which the answer shows too. Then the change, its timeline entry, the webhook
    event and the message, and the notices and timeline it answers with. The item, its form,
    the agency and the levels handling the item are this worker's already: they change only
    with a new dataset version."""
    await submitted_application(api, corp, "WF-002")
    draft = await filled_draft(api, corp, "WF-002")
    created = (await api.post("/applications", json=draft, headers=corp)).json()

    await _queries(statements, lambda: api.post(f"/applications/{created['id']}/submit", headers=corp))

    asked = _asked(statements)
    assert len(asked) <= 10, asked
    reference = ("service_items", "online_forms", "agencies", "service_item_levels")
    assert not [s for s in asked if any(f"FROM {table}" in s for table in reference)]


async def test_a_new_dataset_version_reaches_the_next_submit(app, api, corp, session):
    """The rows a worker keeps for submits are dropped with the dataset version they belong to:
    once 外国籍船舶进出港报告 is no longer handled by 直属海事局 and the catalog is published
    again, the next submit to 上海海事局 is refused for it."""
    await submitted_application(api, corp, "WF-002")
    draft = await filled_draft(api, corp, "WF-002")
    agency = await session.get(Agency, draft["agency_code"])
    await session.execute(
        delete(ServiceItemLevel).where(ServiceItemLevel.item_code == "WF-002", ServiceItemLevel.level == agency.level)
    )
    await bump(session, "catalog")
    await asyncio.sleep(app.state.settings.read_cache_check_seconds)

    refused = await submit_draft(api, corp, draft)

    assert refused.status_code == 422
    assert "不受理该事项" in field_errors(refused)[("body", "agency_code")]


def _resolved(app, method: str, path: str) -> set[str]:
    """What FastAPI resolves for a request to ``path``: every dependency of the route's tree."""
    (route,) = [
        context.original_route
        for context in iter_route_contexts(app.routes)
        if context.path_format == path and method in context.methods
    ]
    pending, names = list(route.dependant.dependencies), set()
    while pending:
        dependency = pending.pop()
        names.add(getattr(dependency.call, "__name__", type(dependency.call).__name__))
        pending.extend(dependency.dependencies)
    return names


def test_the_screens_every_user_opens_resolve_the_caller_and_the_desk_in_few_steps(app):
    """Each dependency FastAPI resolves is a step of its own on every request: the caller and the
    desk read the settings, the cipher, the address and the adapters at once."""
    caller_and_desk = {"check", "_principal", "get_session", "HTTPBearer", "_desk"}

    assert _resolved(app, "GET", "/api/v1/me/applications") == caller_and_desk
    assert _resolved(app, "GET", "/api/v1/applications/{application_id}") == {
        *caller_and_desk,
        "_owned_application_row",
    }
    assert _resolved(app, "GET", "/api/v1/staff/applications") == {*caller_and_desk, "_queue_query", "_settings"}
