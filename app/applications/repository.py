"""Queries of 办件: applications, their materials, timeline and notices, and the rows of other
domains an application's rules read (its item's online form, its agency, its applicant)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    asc,
    bindparam,
    case,
    delete,
    desc,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import CorporateProfile, PersonalProfile, User
from app.agencies.models import Agency
from app.applications.models import Application, ApplicationEvent, Evaluation, Notice
from app.applications.state_machine import FINISHED, Status
from app.catalog.handling import handles
from app.catalog.models import OnlineForm, ServiceItem
from app.certificates.models import Certificate
from app.core.db import ReadRow, dataset_fact, read_rows, reference_row, request_memo
from app.core.pagination import cursor_after, keyset, keyset_template, keyset_values
from app.materials.models import ApplicationMaterial, Material
from app.reference.models import FuelSupplier

NEWEST_FIRST = [(Application.created_at, desc), (Application.id, desc)]
# What changed since the back office last looked: least recently updated first (ix_applications_changes).
CHANGED_FIRST = [(Application.updated_at, asc), (Application.id, asc)]
# 按办结时限: the open applications whose clock runs, earliest due first, then all the others
# (补正 in progress, decided, no limit) as if due on the last day there is.
NO_DEADLINE = date(9999, 12, 31)
DEADLINE_KEY = func.coalesce(
    case((Application.decided_at.is_(None), Application.due_on)), literal(NO_DEADLINE, Date)
).label("deadline_key")
EARLIEST_DUE_FIRST = [(DEADLINE_KEY, asc), (Application.id, asc)]
# Filtered to running clocks (超期 / 即将超期) the due date itself is the key (ix_applications_due).
RUNNING_DUE_FIRST = [(Application.due_on, asc), (Application.id, asc)]
_ORDERS = {"deadline": EARLIEST_DUE_FIRST, "running": RUNNING_DUE_FIRST, "changes": CHANGED_FIRST}
_ATTACHED = "attached_materials"

# A list entry, one row per application and one statement per page: the columns it shows (not
# the form, not the item's guide: decoding those JSON documents for every row was most of a
# page's cost), its item's name and 提交后 choice, its agency, whether it was rated and whether a
# notice was issued.
_ENTRY = (
    Application.id,
    Application.number,
    Application.item_code,
    Application.agency_code,
    Application.status,
    Application.version,
    Application.created_at,
    Application.updated_at,
    Application.submitted_at,
    Application.decided_at,
    Application.due_on,
    Application.paused_on,
    Application.due_on_at_pause,
    ServiceItem.name.label("item_name"),
    Agency.name.label("agency_name"),
    Agency.short_name.label("agency_short_name"),
    Agency.level.label("agency_level"),
    OnlineForm.after_submit,
    exists().where(Evaluation.application_id == Application.id).label("evaluated"),
    exists().where(Notice.application_id == Application.id).label("has_notices"),
)


def _entries(*conditions: ColumnElement[bool]) -> Select:
    """The list entries (``_ENTRY``) of the applications meeting ``conditions``."""
    return (
        select(*_ENTRY)
        .join(ServiceItem, ServiceItem.code == Application.item_code)
        .outerjoin(Agency, Agency.code == Application.agency_code)
        .outerjoin(OnlineForm, OnlineForm.item_code == Application.item_code)
        .where(*conditions)
    )


# What a list may be narrowed by, each condition with a bind parameter of its own name: a
# page's statement is built once per combination of conditions and bound per request.
_NARROWED_BY: dict[str, ColumnElement[bool]] = {
    "applicant_id": Application.applicant_id == bindparam("applicant_id"),
    "status": Application.status == bindparam("status"),
    "item_code": Application.item_code == bindparam("item_code"),
    "number": Application.number == bindparam("number"),
    "contact_name": Application.contact_name == bindparam("contact_name"),
    "submitted_from": Application.submitted_at >= bindparam("submitted_from"),  # inclusive
    "submitted_before": Application.submitted_at < bindparam("submitted_before"),  # exclusive
    "due_from": Application.due_on >= bindparam("due_from"),
    "due_before": Application.due_on < bindparam("due_before"),
    "updated_since": Application.updated_at >= bindparam("updated_since"),
}
_FINISHED = Application.status.in_(sorted(FINISHED))
_RUNNING_CLOCK = (Application.due_on.is_not(None), Application.decided_at.is_(None))
# Inline, not a bind parameter: PostgreSQL's generic plans use the partial index
# ix_applications_queue_open only when they can see the predicate.
_NOT_DRAFT = Application.status != literal(Status.draft.value, literal_execute=True)


@dataclass(frozen=True)
class Narrowing:
    """What a page of entries keeps: the values of ``_NARROWED_BY``'s conditions it names,
    ``finished`` (only decided applications, only the others, or both) and, for 超期 / 即将超期,
    only open applications whose clock runs."""

    values: Mapping[str, Any]
    finished: bool | None = None
    running_clocks_only: bool = False

    @property
    def shape(self) -> tuple:
        """What the statement depends on, beyond the values bound to it."""
        return frozenset(self.values), self.finished, self.running_clocks_only


def _conditions(shape: tuple) -> list[ColumnElement[bool]]:
    """The conditions of a ``Narrowing.shape``."""
    names, finished, running_clocks_only = shape
    conditions = [_NARROWED_BY[name] for name in sorted(names)]
    if finished is not None:
        conditions.append(_FINISHED if finished else ~_FINISHED)
    if running_clocks_only:
        conditions.extend(_RUNNING_CLOCK)
    return conditions


async def application(session: AsyncSession, application_id: str) -> Application | None:
    return await session.get(Application, application_id)


async def application_row(session: AsyncSession, application_id: str) -> ReadRow | None:
    """The application's columns as a plain row, for what only shows it (its detail)."""
    rows = await read_rows(session, _APPLICATION, {"application_id": application_id})
    return rows[0] if rows else None


async def application_by_number(session: AsyncSession, number: str) -> Application | None:
    return await session.scalar(select(Application).where(Application.number == number))


async def number_taken(session: AsyncSession, number: str) -> bool:
    return await session.scalar(select(Application.id).where(Application.number == number)) is not None


def add(session: AsyncSession, *rows: object) -> None:
    """A new application or timeline entry, written at the next flush."""
    session.add_all(rows)


async def delete_application(session: AsyncSession, application: Application) -> None:
    await session.delete(application)


async def replace_materials(
    session: AsyncSession, application_id: str, attached: Iterable[tuple[str, str]]
) -> None:
    """The application's materials become exactly the (slot, material id) pairs ``attached``."""
    request_memo(session).pop((_ATTACHED, application_id), None)
    await session.execute(
        delete(ApplicationMaterial).where(ApplicationMaterial.application_id == application_id)
    )
    session.add_all(
        ApplicationMaterial(application_id=application_id, slot=slot, material_id=material_id)
        for slot, material_id in attached
    )


async def live_materials_of(session: AsyncSession, owner_id: str, material_ids: set[str]) -> set[str]:
    """Those of ``material_ids`` that are the owner's and still in 我的材料."""
    return set(
        await session.scalars(
            select(Material.id).where(
                Material.id.in_(material_ids),
                Material.owner_id == owner_id,
                Material.deleted_at.is_(None),
            )
        )
    )


async def attached_material(session: AsyncSession, application_id: str, material_id: str) -> Material | None:
    """A material attached to the application, even one its owner removed from 我的材料."""
    return await session.scalar(
        select(Material)
        .join(ApplicationMaterial, ApplicationMaterial.material_id == Material.id)
        .where(ApplicationMaterial.application_id == application_id, Material.id == material_id)
    )


async def attached_material_names(session: AsyncSession, application_id: str) -> list[str]:
    """The names of the application's materials, in the order of their slots."""
    return list(
        await session.scalars(
            select(Material.name)
            .join(ApplicationMaterial, ApplicationMaterial.material_id == Material.id)
            .where(ApplicationMaterial.application_id == application_id)
            .order_by(ApplicationMaterial.slot)
        )
    )


async def notice(session: AsyncSession, notice_id: str) -> Notice | None:
    return await session.get(Notice, notice_id)


async def notice_by_number(session: AsyncSession, application_id: str, number: str) -> Notice | None:
    return await session.scalar(
        select(Notice).where(Notice.application_id == application_id, Notice.number == number)
    )


async def document_number_taken(session: AsyncSession, number: str) -> bool:
    """Whether a notice or a certificate already carries ``number`` (both columns are unique)."""
    notices = select(Notice.id).where(Notice.number == number)
    certificates = select(Certificate.id).where(Certificate.number == number)
    return await session.scalar(union_all(notices, certificates).limit(1)) is not None


async def online_form(session: AsyncSession, item_code: str) -> OnlineForm | None:
    return await reference_row(session, OnlineForm, item_code, dataset="catalog")


async def service_item(session: AsyncSession, item_code: str) -> ServiceItem | None:
    return await reference_row(session, ServiceItem, item_code, dataset="catalog")


async def agency(session: AsyncSession, code: str) -> Agency | None:
    return await reference_row(session, Agency, code, dataset="agencies")


async def unit_handles(session: AsyncSession, agency_code: str, item_code: str) -> bool:
    """Whether the unit handles the item (``app.catalog.handling``), as the dataset's versions hold it."""
    return await dataset_fact(
        session,
        ("handles", agency_code, item_code),
        datasets=("agencies", "catalog"),
        load=lambda: handles(session, agency_code, item_code),
    )


async def user(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def personal_profile(session: AsyncSession, user_id: str) -> PersonalProfile | None:
    return await session.get(PersonalProfile, user_id)


async def corporate_profile(session: AsyncSession, user_id: str) -> CorporateProfile | None:
    return await session.get(CorporateProfile, user_id)


async def applicant_identity(
    session: AsyncSession, applicant_id: str
) -> tuple[User, PersonalProfile | None, CorporateProfile | None] | None:
    """The applicant's account with whichever profile it has, in one query (None: no such user)."""
    row = (
        await session.execute(
            select(User, PersonalProfile, CorporateProfile)
            .outerjoin(PersonalProfile, PersonalProfile.user_id == User.id)
            .outerjoin(CorporateProfile, CorporateProfile.user_id == User.id)
            .where(User.id == applicant_id)
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


async def fuel_supplier(session: AsyncSession, supplier_id: str) -> FuelSupplier | None:
    return await session.get(FuelSupplier, supplier_id)


async def applicant_page(
    session: AsyncSession, applicant_id: str, narrowing: Narrowing, *, cursor: str | None, limit: int
) -> Sequence[ReadRow]:
    """我的办件: the applicant's applications, newest first, ``limit + 1`` of them (see ``page_of``)."""
    statement = _applicant_page(narrowing.shape, cursor is not None)
    values = {"applicant_id": applicant_id, **narrowing.values, **keyset_values(NEWEST_FIRST, cursor, limit)}
    return await read_rows(session, statement, values)


@lru_cache(maxsize=256)
def _applicant_page(shape: tuple, after: bool) -> Select:
    conditions = [_NARROWED_BY["applicant_id"], *_conditions(shape)]
    return keyset_template(_entries(*conditions), NEWEST_FIRST, after=after)


async def queue_page(
    session: AsyncSession, agency_codes: set[str], narrowing: Narrowing, *, cursor: str | None, limit: int
) -> Sequence[ReadRow]:
    """A staff queue: the applications (never drafts) addressed to ``agency_codes``, newest
    first, ``limit + 1`` of them (see ``page_of``)."""
    agencies = {f"agency_{position}": code for position, code in enumerate(sorted(agency_codes))}
    statement = _newest_across_agencies(narrowing.shape, len(agencies), cursor is not None)
    values = {**agencies, **narrowing.values, **keyset_values(NEWEST_FIRST, cursor, limit)}
    return await read_rows(session, statement, values)


async def queue_page_by_deadline(
    session: AsyncSession, agency_codes: set[str], narrowing: Narrowing, *, cursor: str | None, limit: int
) -> Sequence[ReadRow]:
    """A staff queue earliest due first (see ``EARLIEST_DUE_FIRST``; only the running clocks
    by their due date), ``limit + 1`` of them."""
    order = _deadline_order_name(narrowing.running_clocks_only)
    return await _queue_in_order(session, agency_codes, narrowing, order, cursor=cursor, limit=limit)


async def queue_page_by_change(
    session: AsyncSession, agency_codes: set[str], narrowing: Narrowing, *, cursor: str | None, limit: int
) -> Sequence[ReadRow]:
    """A queue least recently updated first (``CHANGED_FIRST``), ``limit + 1`` of them: with
    ``updated_since`` among the filters, one short range of ix_applications_changes per agency."""
    return await _queue_in_order(session, agency_codes, narrowing, "changes", cursor=cursor, limit=limit)


async def _queue_in_order(
    session: AsyncSession,
    agency_codes: set[str],
    narrowing: Narrowing,
    order: str,
    *,
    cursor: str | None,
    limit: int,
) -> Sequence[ReadRow]:
    statement = _queue_statement(narrowing.shape, order, cursor is not None)
    paging = keyset_values(_ORDERS[order], cursor, limit)
    values = {"agencies": sorted(agency_codes), **narrowing.values, **paging}
    return await read_rows(session, statement, values)


@lru_cache(maxsize=256)
def _queue_statement(shape: tuple, order: str, after: bool) -> Select:
    conditions = [Application.agency_code.in_(bindparam("agencies", expanding=True)), _NOT_DRAFT]
    statement = _entries(*conditions, *_conditions(shape))
    return keyset_template(statement, _ORDERS[order], after=after)


async def due_page(
    session: AsyncSession, agency_code: str, day: date, cursor: str | None, limit: int
) -> list:
    """The open applications of one agency due on or before ``day``, earliest first, ``limit + 1``
    of them (see ``due_statement``)."""
    return list((await session.execute(due_statement(agency_code, day, cursor, limit))).all())


def due_statement(agency_code: str, day: date, cursor: str | None, limit: int) -> Select:
    """One range of ix_applications_due (its predicate is repeated here, so that PostgreSQL may
    use it), only the columns a line of the due report needs."""
    statement = select(
        Application.id,
        Application.number,
        Application.item_code,
        Application.agency_code,
        Application.status,
        Application.due_on,
    ).where(
        Application.agency_code == agency_code,
        Application.due_on.is_not(None),
        Application.decided_at.is_(None),
        Application.due_on <= day,
    )
    return keyset(statement, RUNNING_DUE_FIRST, cursor, limit)


def deadline_order(running_only: bool):
    return _ORDERS[_deadline_order_name(running_only)]


def _deadline_order_name(running_only: bool) -> str:
    return "running" if running_only else "deadline"


def deadline_cursor_after(application: Application, running_only: bool) -> str:
    """The cursor after ``application`` in the deadline order (its key computed as the SQL does)."""
    running = application.due_on if application.decided_at is None else None
    key = SimpleNamespace(deadline_key=running or NO_DEADLINE, due_on=application.due_on, id=application.id)
    return cursor_after(key, deadline_order(running_only))


@lru_cache(maxsize=256)
def _newest_across_agencies(shape: tuple, agencies: int, after: bool) -> Select:
    """The newest page of a subtree's queue: the newest ``limit + 1`` of each agency (one
    short index range each), the newest of those, then their rows. One ``agency_code IN (…)``
    query sorted every open application of the subtree — its cost grew with the table."""
    conditions = [_NOT_DRAFT, *_conditions(shape)]
    per_agency = []
    for position in range(agencies):
        own = Application.agency_code == bindparam(f"agency_{position}")
        newest = keyset_template(
            select(Application.id, Application.created_at).where(*conditions, own), NEWEST_FIRST, after=after
        ).subquery()
        per_agency.append(select(newest.c.id, newest.c.created_at))
    candidates = union_all(*per_agency).subquery()
    by_time = [(candidates.c.created_at, desc), (candidates.c.id, desc)]
    page = keyset_template(select(candidates.c.id), by_time, after=False)
    return keyset_template(_entries(Application.id.in_(page)), NEWEST_FIRST, after=False)


# --- what an application is shown with ---------------------------------------------------


# What an application's detail reads of it, built once and bound per request: Core statements on
# the tables, whose plain rows cost far less than ORM objects (``read_rows`` says why). A change
# shown after it has flushed what its answer shows (a transition its timeline entry, a decision
# its notice): the app's sessions never autoflush, with ORM statements neither.
_OF_APPLICATION = bindparam("application_id")
_APPLICATION = select(Application.__table__).where(Application.id == _OF_APPLICATION)
_EVALUATED = select(Evaluation.id).where(Evaluation.application_id == _OF_APPLICATION)
_notices, _events = Notice.__table__, ApplicationEvent.__table__
_attached, _materials = ApplicationMaterial.__table__, Material.__table__
_NOTICES = select(_notices).where(_notices.c.application_id == _OF_APPLICATION).order_by(_notices.c.issued_at)
_EVENTS = (
    select(_events)
    .where(_events.c.application_id == _OF_APPLICATION)
    .order_by(_events.c.occurred_at, _events.c.id)
)
_ATTACHED_MATERIALS = (
    select(_attached.c.slot, _materials)
    .join(_materials, _materials.c.id == _attached.c.material_id)
    .where(_attached.c.application_id == _OF_APPLICATION)
    .order_by(_attached.c.slot, _materials.c.created_at)
)


async def is_evaluated(session: AsyncSession, application_id: str) -> bool:
    return bool(await read_rows(session, _EVALUATED, {"application_id": application_id}))


async def notices_of(session: AsyncSession, application_id: str) -> Sequence[ReadRow]:
    """The application's notices (rows of the notice's columns) in the order they were issued."""
    return await read_rows(session, _NOTICES, {"application_id": application_id})


async def events_of(session: AsyncSession, application_id: str) -> Sequence[ReadRow]:
    """The application's timeline (rows of the event's columns), oldest first."""
    return await read_rows(session, _EVENTS, {"application_id": application_id})


async def attached_materials(session: AsyncSession, application_id: str) -> list[tuple[str, ReadRow]]:
    """(slot, the material's row) of each material attached to the application, by slot then age;
    read once per request (a submit checks them, then shows them)."""
    memo = request_memo(session)
    if (_ATTACHED, application_id) not in memo:
        rows = await read_rows(session, _ATTACHED_MATERIALS, {"application_id": application_id})
        memo[_ATTACHED, application_id] = [(row.slot, row) for row in rows]
    return memo[_ATTACHED, application_id]
