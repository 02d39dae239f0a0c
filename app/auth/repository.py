"""Queries of the sign-in flows: accounts by their sign-in names, sessions and refresh tokens,
second-factor tickets, secrets and recovery codes, face sessions."""

from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import CorporateProfile, User
from app.auth.models import AuthSession, FaceSession, RecoveryCode, RefreshToken, SecondFactor, SignInTicket
from app.core.auth import Role
from app.core.db import read_rows


async def add(session: AsyncSession, *rows: object) -> None:
    """New rows (a session, a refresh token, a ticket …), flushed so their ids are known."""
    session.add_all(rows)
    await session.flush()


# --- accounts as sign-in finds them ------------------------------------------------------


async def user(session: AsyncSession, user_id: str, *, for_update: bool = False) -> User | None:
    return await session.get(User, user_id, with_for_update=for_update or None)


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(select(User).where(User.username == username))


async def user_by_wechat(session: AsyncSession, openid: str) -> User | None:
    return await session.scalar(select(User).where(User.wechat_openid == openid))


async def wechat_holder(session: AsyncSession, openid: str) -> str | None:
    """The id of the account this WeChat identity is bound to, if any."""
    return await session.scalar(select(User.id).where(User.wechat_openid == openid))


async def corporate_by_operator(
    session: AsyncSession, username: str, operator_id_index: str
) -> tuple[User, CorporateProfile] | None:
    """The live corporate account ``username`` whose operator has the ID number of this index."""
    statement = (
        select(User, CorporateProfile)
        .join(CorporateProfile, CorporateProfile.user_id == User.id)
        .where(
            User.username == username,
            User.role == Role.corporate,
            User.deleted_at.is_(None),
            CorporateProfile.operator_id_index == operator_id_index,
        )
    )
    row = (await session.execute(statement)).first()
    return None if row is None else (row.User, row.CorporateProfile)


# --- sessions and refresh tokens ---------------------------------------------------------


async def refresh_token(session: AsyncSession, jti: str) -> RefreshToken | None:
    """Locked for this request: a refresh token works once."""
    return await session.get(RefreshToken, jti, with_for_update=True)


async def auth_session(session: AsyncSession, session_id: str) -> AuthSession | None:
    return await session.get(AuthSession, session_id)


# Every authenticated request asks it: built once (``read_rows``).
_OPEN_SESSION_CALLER = (
    select(User.role, User.agency_code, AuthSession.created_at, AuthSession.last_seen_at)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(
        AuthSession.id == bindparam("session_id"),
        User.id == bindparam("user_id"),
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > bindparam("now"),
    )
)


async def open_session_caller(session: AsyncSession, session_id: str, user_id: str, now: datetime):
    """(role, agency_code, created_at, last_seen_at) of the account behind an open session, or None."""
    values = {"session_id": session_id, "user_id": user_id, "now": now}
    rows = await read_rows(session, _OPEN_SESSION_CALLER, values)
    return rows[0] if rows else None


async def touch_session(session: AsyncSession, session_id: str, now: datetime) -> None:
    await session.execute(update(AuthSession).where(AuthSession.id == session_id).values(last_seen_at=now))


async def revoke_sessions(
    session: AsyncSession, which: ColumnElement[bool], reason: str, now: datetime
) -> None:
    """Revoke the open sessions matching ``which``."""
    await session.execute(
        update(AuthSession)
        .where(which, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )


# --- second factor -----------------------------------------------------------------------


async def ticket(session: AsyncSession, digest: str) -> SignInTicket | None:
    """Locked for this request: a ticket is spent once."""
    return await session.get(SignInTicket, digest, with_for_update=True)


async def second_factor(session: AsyncSession, user_id: str) -> SecondFactor | None:
    return await session.get(SecondFactor, user_id, with_for_update=True)


async def delete_second_factor(session: AsyncSession, user_id: str) -> bool:
    """The secret and every recovery code of the account; whether there was a secret."""
    removed = await session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id))
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    return bool(removed.rowcount)


async def spend_recovery_code(session: AsyncSession, user_id: str, digest: str, now: datetime) -> bool:
    """Mark the unused code of this digest used; False when there is none."""
    spent = await session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.digest == digest,
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return spent.rowcount == 1


# --- face sessions -----------------------------------------------------------------------


async def face_session(session: AsyncSession, face_session_id: str) -> FaceSession | None:
    """Locked for this request: a face session is spent once."""
    return await session.get(FaceSession, face_session_id, with_for_update=True)


async def expired_unforgotten_face_sessions(session: AsyncSession, now: datetime, limit: int) -> list[str]:
    """Ids of expired face sessions still holding whose they were."""
    return list(
        await session.scalars(
            select(FaceSession.id).where(FaceSession.name != "", FaceSession.expires_at <= now).limit(limit)
        )
    )


async def forget_face_persons(session: AsyncSession, face_session_ids: list[str]) -> None:
    await session.execute(
        update(FaceSession)
        .where(FaceSession.id.in_(face_session_ids))
        .values(name="", id_number_encrypted=b"")
    )
