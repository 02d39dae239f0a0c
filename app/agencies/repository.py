from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency, AgencyCandidate, CandidateStatus


async def all_agencies(session: AsyncSession) -> list[Agency]:
    return list(await session.scalars(select(Agency).order_by(Agency.position)))


async def parent_codes(session: AsyncSession) -> list[tuple[str, str | None]]:
    """(code, parent_code) of every agency, closed ones too."""
    return [(code, parent) for code, parent in await session.execute(select(Agency.code, Agency.parent_code))]


async def get_agency(session: AsyncSession, code: str) -> Agency | None:
    return await session.get(Agency, code)


async def candidate_for_update(session: AsyncSession, code: str) -> AgencyCandidate | None:
    return await session.get(AgencyCandidate, code, with_for_update=True)


def candidates(status: CandidateStatus | None) -> Select:
    """Candidates, of one status if asked; a waiting one never under a code that is an agency
    already (one a later seed shipped)."""
    statement = select(AgencyCandidate).where(
        or_(
            AgencyCandidate.status != CandidateStatus.pending.value,
            AgencyCandidate.code.not_in(select(Agency.code)),
        )
    )
    return statement if status is None else statement.where(AgencyCandidate.status == status.value)


async def agencies_named(session: AsyncSession, codes: set[str]) -> set[str]:
    """Which of ``codes`` are agencies."""
    return set(await session.scalars(select(Agency.code).where(Agency.code.in_(codes)))) if codes else set()


async def agency_with_name(session: AsyncSession, name: str) -> Agency | None:
    return await session.scalar(select(Agency).where(Agency.name == name))


async def next_position(session: AsyncSession) -> int:
    return (await session.scalar(select(func.max(Agency.position))) or 0) + 1
