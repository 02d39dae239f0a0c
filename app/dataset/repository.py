"""Queries on the dataset versions and the draft."""

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.dataset.models import DatasetDraft, DatasetVersion, VersionState

DRAFT_ID = 1


async def current(session: AsyncSession) -> DatasetVersion | None:
    """The newest published version."""
    return await session.scalar(
        select(DatasetVersion)
        .where(DatasetVersion.state == VersionState.published.value)
        .order_by(DatasetVersion.number.desc())
        .limit(1)
    )


async def lock_current(session: AsyncSession) -> None:
    """Publishers queue here: the current version's row, locked (its number only is read)."""
    await session.execute(
        select(DatasetVersion.number)
        .where(DatasetVersion.state == VersionState.published.value)
        .order_by(DatasetVersion.number.desc())
        .limit(1)
        .with_for_update()
    )


async def current_number(session: AsyncSession) -> int | None:
    return await session.scalar(
        select(func.max(DatasetVersion.number)).where(DatasetVersion.state == VersionState.published.value)
    )


async def next_number(session: AsyncSession) -> int:
    return (await session.scalar(select(func.max(DatasetVersion.number))) or 0) + 1


async def get(session: AsyncSession, number: int, *, for_update: bool = False) -> DatasetVersion | None:
    statement = select(DatasetVersion).where(DatasetVersion.number == number)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def previous_published(session: AsyncSession, number: int) -> DatasetVersion | None:
    return await session.scalar(
        select(DatasetVersion)
        .where(DatasetVersion.state == VersionState.published.value, DatasetVersion.number < number)
        .order_by(DatasetVersion.number.desc())
        .limit(1)
    )


def versions() -> Select:
    return select(DatasetVersion)


async def due(session: AsyncSession, now) -> list[DatasetVersion]:
    """Scheduled versions whose time has come, oldest first."""
    return list(
        await session.scalars(
            select(DatasetVersion)
            .where(DatasetVersion.state == VersionState.scheduled.value, DatasetVersion.effective_at <= now)
            .order_by(DatasetVersion.number)
        )
    )


async def draft(session: AsyncSession, *, for_update: bool = False) -> DatasetDraft | None:
    statement = select(DatasetDraft).where(DatasetDraft.id == DRAFT_ID)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)
