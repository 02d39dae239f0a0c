"""Queries of the certificates domain."""

from datetime import datetime

from sqlalchemy import asc, desc, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from app.certificates.models import (
    Certificate,
    CertificateCorrection,
    CertificateScan,
    CorrectionStatus,
    DisplaySigningKey,
)
from app.core.pagination import keyset

SCAN_HISTORY_LENGTH = 50
NEWEST_ISSUED_FIRST = [(Certificate.issued_on, desc), (Certificate.id, desc)]
NEWEST_CORRECTION_FIRST = [(CertificateCorrection.created_at, desc), (CertificateCorrection.id, desc)]
OLDEST_CORRECTION_FIRST = [(CertificateCorrection.created_at, asc), (CertificateCorrection.id, asc)]


async def holder_certificates(
    session: AsyncSession,
    holder_id: str,
    *,
    type_code: str | None,
    cursor: str | None,
    limit: int,
) -> list[Certificate]:
    """Newest issued first, ``limit + 1`` of them after ``cursor`` (see ``page_of``)."""
    statement = (
        select(Certificate)
        .options(joinedload(Certificate.agency))
        .where(Certificate.holder_id == holder_id)
    )
    if type_code is not None:
        statement = statement.where(Certificate.type_code == type_code)
    return list(await session.scalars(keyset(statement, NEWEST_ISSUED_FIRST, cursor, limit)))


async def certificate(
    session: AsyncSession, certificate_id: str, *, for_update: bool = False
) -> Certificate | None:
    statement = (
        select(Certificate).options(joinedload(Certificate.agency)).where(Certificate.id == certificate_id)
    )
    if for_update:
        # The lock is only worth it with the row as it is after the wait.
        statement = statement.with_for_update(of=Certificate).execution_options(populate_existing=True)
    return await session.scalar(statement)


async def certificate_by_number(session: AsyncSession, number: str) -> Certificate | None:
    statement = (
        select(Certificate).options(joinedload(Certificate.agency)).where(Certificate.number == number)
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


def _with_certificate():
    return (
        joinedload(CertificateCorrection.certificate).joinedload(Certificate.agency),
        selectinload(CertificateCorrection.materials),
    )


async def requester_corrections(
    session: AsyncSession, requester_id: str, *, cursor: str | None, limit: int
) -> list[CertificateCorrection]:
    """Newest first, ``limit + 1`` of them after ``cursor`` (see ``page_of``)."""
    statement = (
        select(CertificateCorrection)
        .options(*_with_certificate())
        .where(CertificateCorrection.requester_id == requester_id)
    )
    return list(await session.scalars(keyset(statement, NEWEST_CORRECTION_FIRST, cursor, limit)))


async def correction_queue(
    session: AsyncSession,
    agency_codes: set[str],
    *,
    status: str | None,
    cursor: str | None,
    limit: int,
) -> list[CertificateCorrection]:
    """Corrections of certificates issued within ``agency_codes``, oldest first (first come,
    first served), ``limit + 1`` of them after ``cursor`` (see ``page_of``)."""
    statement = (
        select(CertificateCorrection)
        .join(CertificateCorrection.certificate)
        .options(*_with_certificate())
        .where(Certificate.agency_code.in_(agency_codes))
    )
    if status is not None:
        statement = statement.where(CertificateCorrection.status == status)
    return list(await session.scalars(keyset(statement, OLDEST_CORRECTION_FIRST, cursor, limit)))


async def correction(
    session: AsyncSession, correction_id: str, *, for_update: bool = False
) -> CertificateCorrection | None:
    statement = (
        select(CertificateCorrection)
        .options(*_with_certificate())
        .where(CertificateCorrection.id == correction_id)
    )
    if for_update:
        statement = statement.with_for_update(of=CertificateCorrection).execution_options(
            populate_existing=True
        )
    return await session.scalar(statement)


async def pending_correction_exists(session: AsyncSession, certificate_id: str, field: str) -> bool:
    statement = select(CertificateCorrection.id).where(
        CertificateCorrection.certificate_id == certificate_id,
        CertificateCorrection.field == field,
        CertificateCorrection.status == CorrectionStatus.pending,
    )
    return await session.scalar(statement.limit(1)) is not None


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
