"""回访整改: a 不满意 or 非常不满意 rating opens a task for the agency, due a number of working
days later (``FOLLOW_UP_WORKING_DAYS``); staff of the agency's subtree call the applicant back
(回访), then record what they changed (整改). Overdue: still open after its deadline."""

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import asc, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.agencies.models import Agency
from app.applications.models import Application, Evaluation
from app.applications.service import CONTACT_PHONE
from app.catalog.models import ServiceItem
from app.core.auth import Principal
from app.core.config import Settings
from app.core.db import flush_or_busy, utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.pagination import keyset, page_of
from app.core.pii import PersonalDataCipher
from app.core.schemas import Coded, china_time
from app.core.workdays import add_working_days, working_days_between
from app.evaluations.follow_up_schemas import (
    FollowUpContact,
    FollowUpDetail,
    FollowUpSummary,
    RectificationCreate,
    RectificationRead,
    VisitCreate,
    VisitRead,
)
from app.evaluations.models import FollowUp
from app.evaluations.schemas import RATINGS, FollowUpOutcome
from app.evaluations.state_machine import (
    Channel,
    FollowUpAction,
    FollowUpState,
    allowed_actions,
    transition,
)

OPEN, CLOSED = 0, 1
# The list: open ones first, the nearest deadline first (the overdue ones come first of all).
QUEUE_ORDER = [(FollowUp.queue_rank, asc), (FollowUp.due_on, asc), (FollowUp.id, asc)]
# A clock a little ahead of the server's is not "the future".
CLOCK_SKEW = timedelta(minutes=5)


class FollowUpNotFound(NotFound):
    code = "follow_up.not_found"
    title = "回访整改任务不存在"


class FollowUpVersionMismatch(AppError):
    status = 412
    code = "follow_up.version_mismatch"
    title = "回访整改任务已被修改，请刷新后重试"


class FollowUpBusy(AppError):
    status = 409
    code = "follow_up.conflict"
    title = "回访整改任务正在被处理，请刷新后重试"


def china_today() -> date:
    return china_time(utcnow()).date()


def open_for(session: AsyncSession, settings: Settings, evaluation: Evaluation) -> FollowUp:
    """The task of a bad rating, added with it (same transaction), due on the working day
    ``FOLLOW_UP_WORKING_DAYS`` after the day of the rating (Beijing time)."""
    rated_on = china_time(evaluation.created_at).date()
    follow_up = FollowUp(
        evaluation_id=evaluation.id,
        agency_code=evaluation.agency_code,
        state=FollowUpState.pending,
        queue_rank=OPEN,
        opened_at=evaluation.created_at,
        updated_at=evaluation.created_at,
        due_on=add_working_days(rated_on, settings.follow_up_working_days),
    )
    session.add(follow_up)
    return follow_up


async def staff_follow_up(session: AsyncSession, agency_codes: set[str], follow_up_id: str) -> FollowUp:
    """A task of an agency in ``agency_codes``; any other does not exist for the caller (404)."""
    follow_up = await session.get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.agency_code not in agency_codes:
        raise FollowUpNotFound()
    return follow_up


def _open_and_late(today: date):
    return (FollowUp.queue_rank == OPEN) & (FollowUp.due_on < today)


async def list_follow_ups(
    session: AsyncSession,
    *,
    agency_codes: set[str],
    state: FollowUpState | None,
    overdue: bool | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[FollowUpSummary], str | None]:
    today = china_today()
    statement = select(FollowUp).where(FollowUp.agency_code.in_(agency_codes))
    if state is not None:
        statement = statement.where(FollowUp.state == state)
    if overdue is not None:
        late = _open_and_late(today)
        statement = statement.where(late if overdue else ~late)
    rows = list(await session.scalars(keyset(statement, QUEUE_ORDER, cursor, limit)))
    rows, next_cursor = page_of(rows, limit, QUEUE_ORDER)
    return await summaries(session, rows, today), next_cursor


async def counts(session: AsyncSession, agency_codes: set[str]) -> tuple[int, int]:
    """(open, overdue) of the subtree: the menu's badge."""
    today = china_today()
    opened = func.count().filter(FollowUp.queue_rank == OPEN)
    late = func.count().filter(_open_and_late(today))
    row = (
        await session.execute(select(opened, late).where(FollowUp.agency_code.in_(agency_codes)))
    ).one()
    return row[0], row[1]


async def _names(session: AsyncSession, key, value, keys: Iterable) -> dict:
    wanted = {k for k in keys if k is not None}
    if not wanted:
        return {}
    return dict((await session.execute(select(key, value).where(key.in_(wanted)))).all())


async def summaries(
    session: AsyncSession, rows: list[FollowUp], today: date | None = None
) -> list[FollowUpSummary]:
    today = today or china_today()
    evaluations = {
        e.id: e
        for e in await session.scalars(
            select(Evaluation).where(Evaluation.id.in_({f.evaluation_id for f in rows}))
        )
    }
    numbers = await _names(
        session, Application.id, Application.number, (e.application_id for e in evaluations.values())
    )
    items = await _names(
        session, ServiceItem.code, ServiceItem.name, (e.item_code for e in evaluations.values())
    )
    agencies = await _names(session, Agency.code, Agency.name, (f.agency_code for f in rows))
    out = []
    for f in rows:
        e = evaluations[f.evaluation_id]
        state = FollowUpState(f.state)
        is_open = state is not FollowUpState.closed
        out.append(
            FollowUpSummary(
                id=f.id,
                version=f.version,
                state=Coded.of(state),
                overdue=is_open and today > f.due_on,
                due_on=f.due_on,
                working_days_left=working_days_between(today, f.due_on) if is_open else None,
                opened_at=f.opened_at,
                application_id=e.application_id,
                application_no=numbers.get(e.application_id),
                item=Coded(code=e.item_code, label=items[e.item_code]),
                agency=Coded(code=f.agency_code, label=agencies[f.agency_code]),
                rating=Coded(code=str(e.rating), label=RATINGS[e.rating]),
                comment=e.comment,
                allowed_actions=allowed_actions(state),
            )
        )
    return out


async def detail(session: AsyncSession, pii: PersonalDataCipher, follow_up: FollowUp) -> FollowUpDetail:
    """The task with the applicant's contact in full: the caller records the view."""
    summary = (await summaries(session, [follow_up]))[0]
    evaluation = await session.get(Evaluation, follow_up.evaluation_id)
    application = await session.get(Application, evaluation.application_id)
    staff = await _names(session, User.id, User.display_name, (follow_up.visited_by, follow_up.closed_by))
    phone = (
        pii.decrypt(application.contact_phone_encrypted, purpose=CONTACT_PHONE)
        if application.contact_phone_encrypted
        else None
    )
    visit = result = None
    if follow_up.contacted_at is not None:
        channel = Channel(follow_up.channel)
        visit = VisitRead(
            contacted_at=follow_up.contacted_at,
            channel=Coded.of(channel),
            applicant_said=follow_up.applicant_said,
            finding=follow_up.finding,
            recorded_by=staff.get(follow_up.visited_by, ""),
        )
    if follow_up.closed_at is not None:
        result = RectificationRead(
            rectification=follow_up.rectification,
            applicant_satisfied=follow_up.applicant_satisfied,
            closed_at=follow_up.closed_at,
            recorded_by=staff.get(follow_up.closed_by, ""),
        )
    return FollowUpDetail(
        **summary.model_dump(),
        tags=evaluation.tags,
        contact=FollowUpContact(name=application.contact_name, phone=phone),
        visit=visit,
        result=result,
    )


def _check_version(follow_up: FollowUp, expected: int | None) -> None:
    if expected is not None and expected != follow_up.version:
        raise FollowUpVersionMismatch(f"回访整改任务已更新为第 {follow_up.version} 版，请刷新后重试")


async def record_visit(
    session: AsyncSession, follow_up: FollowUp, body: VisitCreate, *, actor: Principal, expected: int | None
) -> FollowUpState:
    _check_version(follow_up, expected)
    target = transition(FollowUpState(follow_up.state), FollowUpAction.record_visit)
    now = utcnow()
    if body.contacted_at > now + CLOCK_SKEW:
        raise InvalidInput([(("body", "contacted_at"), "回访时间不能晚于现在", "contacted_at_out_of_range")])
    if body.contacted_at < follow_up.opened_at - CLOCK_SKEW:
        raise InvalidInput([(("body", "contacted_at"), "回访时间不能早于评价时间", "contacted_at_out_of_range")])
    follow_up.state = target
    follow_up.contacted_at = body.contacted_at
    follow_up.channel = body.channel
    follow_up.applicant_said = body.applicant_said
    follow_up.finding = body.finding
    follow_up.visited_by = actor.user_id
    follow_up.updated_at = now
    await flush_or_busy(session, FollowUpBusy)
    return target


async def record_rectification(
    session: AsyncSession,
    follow_up: FollowUp,
    body: RectificationCreate,
    *,
    actor: Principal,
    expected: int | None,
) -> FollowUpState:
    _check_version(follow_up, expected)
    target = transition(FollowUpState(follow_up.state), FollowUpAction.record_rectification)
    now = utcnow()
    follow_up.state = target
    follow_up.queue_rank = CLOSED
    follow_up.rectification = body.rectification
    follow_up.applicant_satisfied = body.applicant_satisfied
    follow_up.closed_at = follow_up.updated_at = now
    follow_up.closed_by = actor.user_id
    await flush_or_busy(session, FollowUpBusy)
    return target


async def outcomes(session: AsyncSession, evaluation_ids: set[str]) -> dict[str, FollowUpOutcome]:
    """我的评价: what the applicant sees of each bad rating's task (see ``FollowUpOutcome``)."""
    if not evaluation_ids:
        return {}
    rows = await session.scalars(select(FollowUp).where(FollowUp.evaluation_id.in_(evaluation_ids)))
    found = {}
    for f in rows:
        state = FollowUpState(f.state)
        closed = state is FollowUpState.closed
        found[f.evaluation_id] = FollowUpOutcome(
            state=Coded.of(state),
            due_on=f.due_on,
            rectification=f.rectification if closed else None,
            closed_at=f.closed_at if closed else None,
        )
    return found


