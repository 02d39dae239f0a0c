"""好差评: one rating per finished application; bad ratings must say why (国办发〔2019〕51号)."""

from sqlalchemy import desc, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency
from app.applications.models import Application
from app.applications.state_machine import FINISHED, Status
from app.catalog.models import ServiceItem
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import AppError, InvalidInput
from app.core.pagination import keyset, page_of
from app.core.schemas import Coded
from app.evaluations import follow_ups
from app.evaluations.models import Evaluation
from app.evaluations.schemas import RATINGS, EvaluationCreate, EvaluationRead

BAD = {1, 2}


class NotYetFinished(AppError):
    status = 409
    code = "evaluation.not_finished"
    title = "办件办结后才能评价"


class AlreadyEvaluated(AppError):
    status = 409
    code = "evaluation.exists"
    title = "该办件已评价，每件办件只能评价一次"


async def evaluate(
    session: AsyncSession, settings: Settings, application: Application, body: EvaluationCreate
) -> Evaluation:
    """The rating; a bad one opens its 回访整改 task with it, or neither is stored."""
    if Status(application.status) not in FINISHED:
        raise NotYetFinished(f"办件当前为“{Status(application.status).label}”，办结后才能评价")
    if body.rating in BAD and not body.comment:
        raise InvalidInput([(("body", "comment"), "差评请填写不满意的原因", "missing")])
    evaluation = Evaluation(
        application_id=application.id,
        evaluator_id=application.applicant_id,
        agency_code=application.agency_code,
        item_code=application.item_code,
        rating=body.rating,
        tags=body.tags,
        comment=body.comment,
        created_at=utcnow(),
    )
    try:
        async with session.begin_nested():
            session.add(evaluation)
            await session.flush()
            if body.rating in BAD:
                follow_ups.open_for(session, settings, evaluation)
    except IntegrityError as error:
        raise AlreadyEvaluated() from error
    return evaluation


async def list_evaluations(
    session: AsyncSession,
    *,
    cursor: str | None,
    limit: int,
    evaluator_id: str | None = None,
    agency_codes: set[str] | None = None,
) -> tuple[list[EvaluationRead], str | None]:
    """我的评价 (by evaluator) or the evaluations of a staff member's agencies."""
    statement = select(Evaluation)
    if evaluator_id is not None:
        statement = statement.where(Evaluation.evaluator_id == evaluator_id)
    if agency_codes is not None:
        statement = statement.where(Evaluation.agency_code.in_(agency_codes))
    newest_first = [(Evaluation.created_at, desc), (Evaluation.id, desc)]
    rows = list(await session.scalars(keyset(statement, newest_first, cursor, limit)))
    rows, next_cursor = page_of(rows, limit, newest_first)
    return await _reads(session, rows), next_cursor


async def _reads(session: AsyncSession, rows: list[Evaluation]) -> list[EvaluationRead]:
    numbers = dict(
        (
            await session.execute(
                select(Application.id, Application.number).where(
                    Application.id.in_({e.application_id for e in rows})
                )
            )
        ).all()
    )
    items = dict(
        (
            await session.execute(
                select(ServiceItem.code, ServiceItem.name).where(
                    ServiceItem.code.in_({e.item_code for e in rows})
                )
            )
        ).all()
    )
    agencies = dict(
        (
            await session.execute(
                select(Agency.code, Agency.name).where(Agency.code.in_({e.agency_code for e in rows}))
            )
        ).all()
    )
    outcomes = await follow_ups.outcomes(session, {e.id for e in rows if e.rating in BAD})
    return [
        EvaluationRead(
            id=e.id,
            application_id=e.application_id,
            application_no=numbers.get(e.application_id),
            item=Coded(code=e.item_code, label=items[e.item_code]),
            agency=Coded(code=e.agency_code, label=agencies[e.agency_code]),
            rating=Coded(code=str(e.rating), label=RATINGS[e.rating]),
            is_bad=e.rating in BAD,
            tags=e.tags,
            comment=e.comment,
            created_at=e.created_at,
            follow_up=outcomes.get(e.id),
        )
        for e in rows
    ]


async def evaluation_read(session: AsyncSession, evaluation: Evaluation) -> EvaluationRead:
    return (await _reads(session, [evaluation]))[0]
