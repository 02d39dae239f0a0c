"""Queries of the certificates domain."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from app.certificates.models import (
    Certificate,
    CertificateCorrection,
    CertificateScan,
    CorrectionStatus,
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
    session: AsyncSession, requester_id: str, *, after: tuple[datetime, str] | None, limit: int
) -> list[CertificateCorrection]:
    """Newest first; ``after`` is the (creation time, id) of the last correction already shown."""
    statement = (
        select(CertificateCorrection)
        .options(*_with_certificate())
        .where(CertificateCorrection.requester_id == requester_id)
        .order_by(CertificateCorrection.created_at.desc(), CertificateCorrection.id.desc())
        .limit(limit)
    )
    if after is not None:
        created_at, correction_id = after
        statement = statement.where(
            (CertificateCorrection.created_at < created_at)
            | ((CertificateCorrection.created_at == created_at) & (CertificateCorrection.id < correction_id))
        )
    return list(await session.scalars(statement))


async def correction_queue(
    session: AsyncSession,
    agency_codes: set[str],
    *,
    status: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[CertificateCorrection]:
    """Corrections of certificates issued within ``agency_codes``, oldest first (first come,
    first served); ``after`` is the (creation time, id) of the last one already shown."""
    statement = (
        select(CertificateCorrection)
        .join(CertificateCorrection.certificate)
        .options(*_with_certificate())
        .where(Certificate.agency_code.in_(agency_codes))
        .order_by(CertificateCorrection.created_at, CertificateCorrection.id)
        .limit(limit)
    )
    if status is not None:
        statement = statement.where(CertificateCorrection.status == status)
    if after is not None:
        created_at, correction_id = after
        statement = statement.where(
            (CertificateCorrection.created_at > created_at)
            | ((CertificateCorrection.created_at == created_at) & (CertificateCorrection.id > correction_id))
        )
    return list(await session.scalars(statement))


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
