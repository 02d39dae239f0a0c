"""Queries of the certificates domain."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.certificates.models import (
    Certificate,
    CertificateScan,
    DisplaySigningKey,
)

SCAN_HISTORY_LENGTH = 50


async def holder_certificates(
    session: AsyncSession,
    holder_id: str,
    *,
    type_code: str | None,
    after: tuple[date, str] | None,
    limit: int,
) -> list[Certificate]:
    """Newest first; ``after`` is the (issue date, id) of the last certificate already shown."""
    statement = (
        select(Certificate)
        .options(joinedload(Certificate.agency))
        .where(Certificate.holder_id == holder_id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        .limit(limit)
    )
    if type_code is not None:
        statement = statement.where(Certificate.type_code == type_code)
    if after is not None:
        issued_on, certificate_id = after
        statement = statement.where(
            (Certificate.issued_on < issued_on)
            | ((Certificate.issued_on == issued_on) & (Certificate.id < certificate_id))
        )
    return list(await session.scalars(statement))


async def certificate(session: AsyncSession, certificate_id: str) -> Certificate | None:
    statement = (
        select(Certificate).options(joinedload(Certificate.agency)).where(Certificate.id == certificate_id)
    )
    return await session.scalar(statement)


async def recent_scans(session: AsyncSession, certificate_id: str) -> list[CertificateScan]:
    statement = (
        select(CertificateScan)
        .options(joinedload(CertificateScan.agency))
        .where(CertificateScan.certificate_id == certificate_id)
        .order_by(CertificateScan.scanned_at.desc(), CertificateScan.id.desc())
        .limit(SCAN_HISTORY_LENGTH)
    )
    return list(await session.scalars(statement))


async def active_signing_key(session: AsyncSession, *, for_update: bool = False) -> DisplaySigningKey | None:
    statement = select(DisplaySigningKey).where(DisplaySigningKey.active.is_(True))
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def published_signing_keys(session: AsyncSession, retired_after: datetime) -> list[DisplaySigningKey]:
    """The active key and the keys retired after ``retired_after``, newest first."""
    statement = (
        select(DisplaySigningKey)
        .where(DisplaySigningKey.active.is_(True) | (DisplaySigningKey.retired_at > retired_after))
        .order_by(DisplaySigningKey.created_at.desc())
    )
    return list(await session.scalars(statement))
