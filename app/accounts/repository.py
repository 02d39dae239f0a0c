"""Queries of the accounts domain."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import CorporateProfile, PersonalProfile, User


async def insert_account(
    session: AsyncSession, user: User, profile: PersonalProfile | CorporateProfile
) -> None:
    """The account and its profile, in a savepoint: a unique index refusing either raises
    ``IntegrityError`` with the session still usable."""
    async with session.begin_nested():
        session.add(user)
        await session.flush()
        profile.user_id = user.id
        session.add(profile)
        await session.flush()


async def insert_user(session: AsyncSession, user: User) -> None:
    """An account without a profile, in a savepoint (``IntegrityError`` on a taken username)."""
    async with session.begin_nested():
        session.add(user)


async def personal_by_id_index(
    session: AsyncSession, id_number_index: str
) -> tuple[User, PersonalProfile] | None:
    """The personal account registered with the ID number of this blind index, and its profile."""
    statement = (
        select(User, PersonalProfile)
        .join(PersonalProfile, PersonalProfile.user_id == User.id)
        .where(PersonalProfile.id_number_index == id_number_index)
    )
    row = (await session.execute(statement)).first()
    return None if row is None else (row.User, row.PersonalProfile)


async def personal_profile(session: AsyncSession, user_id: str) -> PersonalProfile | None:
    return await session.get(PersonalProfile, user_id)


async def corporate_profile(session: AsyncSession, user_id: str) -> CorporateProfile | None:
    return await session.get(CorporateProfile, user_id)
