"""我的证照 (manual §3.3.4): the wallet, certificates arriving from the authority's registry
and from approved applications, and 证书查询 for anyone who knows a number and its holder."""

import base64
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.agencies.service import agency_ref
from app.audit import service as audit
from app.certificates import repository
from app.certificates.models import Certificate, CertificateStatus, RegistryStatus, ScanResult
from app.certificates.schemas import (
    CertificateAction,
    CertificateCard,
    CertificateDetail,
    CertificateField,
    CertificateLookup,
    CertificateLookupResult,
    CorrectableField,
    ScannedCertificate,
    ScanRecord,
)
from app.certificates.types import TYPES, CertificateType, TypeSpec
from app.core import throttle
from app.core.auth import Role
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import NotFound
from app.core.masking import mask_name
from app.core.pagination import page_of
from app.core.schemas import Coded, china_time
from app.integrations.certificate_registry.base import CertificateRegistry
from app.integrations.storage.base import ObjectStorage

EXPIRING_WITHIN = timedelta(days=90)


class CertificateNotFound(NotFound):
    code = "certificate.not_found"
    title = "未找到该证照"


class NoDocument(NotFound):
    code = "certificate.no_document"
    title = "该证照没有可下载的结果文书"


class CertificateLookupFailed(NotFound):
    code = "certificate.lookup_not_found"
    title = "未查询到该证书，请核对证书编号和持证人姓名"
    keep_changes = True  # the guesses that found nothing are what the rate limits count


def today() -> date:
    """Validity is by calendar day in China."""
    return china_time(utcnow()).date()


def status_of(certificate: Certificate, on: date) -> CertificateStatus:
    """The one place a certificate's status is decided, for the wallet, 亮证, scans and 证书查询.
    What the authority's registry pushed (revoked, suspended, expired) takes effect at once;
    otherwise the dates decide."""
    if certificate.revoked_at is not None or certificate.registry_status == RegistryStatus.revoked:
        return CertificateStatus.revoked
    if certificate.registry_status == RegistryStatus.suspended:
        return CertificateStatus.suspended
    if certificate.registry_status == RegistryStatus.expired:
        return CertificateStatus.expired
    if certificate.expires_on is None:
        return CertificateStatus.valid
    if certificate.expires_on < on:
        return CertificateStatus.expired
    if certificate.expires_on - on <= EXPIRING_WITHIN:
        return CertificateStatus.expiring
    return CertificateStatus.valid


def type_of(certificate: Certificate) -> tuple[CertificateType, TypeSpec]:
    kind = CertificateType(certificate.type_code)
    return kind, TYPES[kind]


SHOWABLE = (CertificateStatus.valid, CertificateStatus.expiring)


def allowed_actions(certificate: Certificate, status: CertificateStatus) -> list[CertificateAction]:
    """Only 船员证照 can be shown to an officer (亮证), and only while in force (not suspended,
    revoked or expired); they can be corrected unless revoked."""
    _, spec = type_of(certificate)
    if not spec.crew or status is CertificateStatus.revoked:
        return []
    return ["display", "correct"] if status in SHOWABLE else ["correct"]


def holder_shown(certificate: Certificate) -> str:
    return mask_name(certificate.holder_name) if certificate.holder_is_person else certificate.holder_name


def fields_of(certificate: Certificate) -> list[CertificateField]:
    """The type's fields the certificate carries, in the order of the type."""
    _, spec = type_of(certificate)
    return [
        CertificateField(key=field.key, label=field.label, value=certificate.fields[field.key])
        for field in spec.fields
        if field.key in certificate.fields
    ]


def card(certificate: Certificate, on: date) -> CertificateCard:
    kind, _ = type_of(certificate)
    status = status_of(certificate, on)
    return CertificateCard(
        id=certificate.id,
        type=Coded.of(kind),
        title=certificate.title,
        number=certificate.number,
        holder_name=holder_shown(certificate),
        agency=agency_ref(certificate.agency),
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        status=Coded.of(status),
        allowed_actions=allowed_actions(certificate, status),
    )


async def photo_of(storage: ObjectStorage | None, certificate: Certificate) -> str | None:
    """The holder's photo the registry pushed, as a data URI (at most 200 KB): shown where the
    holder and an officer see the certificate."""
    if certificate.photo_key is None or storage is None:
        return None
    data = b"".join([chunk async for chunk in storage.read(certificate.photo_key)])
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def as_scanned(certificate: Certificate, scanned_at: datetime, photo: str | None = None) -> ScannedCertificate:
    """The certificate as an officer checking it sees it: the full name, the fields that say
    what it entitles to (types.py ``checked``), nothing personal beyond the name."""
    kind, spec = type_of(certificate)
    return ScannedCertificate(
        type=Coded.of(kind),
        title=certificate.title,
        number=certificate.number,
        holder_name=certificate.holder_name,
        agency=agency_ref(certificate.agency),
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        status=Coded.of(status_of(certificate, today())),
        fields=[
            CertificateField(key=field.key, label=field.label, value=certificate.fields[field.key])
            for field in spec.fields
            if field.checked and field.key in certificate.fields
        ],
        photo=photo,
        scanned_at=scanned_at,
    )


async def list_certificates(
    session: AsyncSession,
    holder_id: str,
    *,
    type_code: CertificateType | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[CertificateCard], str | None]:
    rows = await repository.holder_certificates(
        session, holder_id, type_code=type_code, cursor=cursor, limit=limit
    )
    page, next_cursor = page_of(rows, limit, repository.NEWEST_ISSUED_FIRST)
    on = today()
    return [card(certificate, on) for certificate in page], next_cursor


async def owned_certificate(session: AsyncSession, holder_id: str, certificate_id: str) -> Certificate:
    """The certificate if it is the caller's; anyone else's is indistinguishable from a missing one."""
    certificate = await repository.certificate(session, certificate_id)
    if certificate is None or certificate.holder_id != holder_id:
        raise CertificateNotFound()
    return certificate


async def certificate_detail(session: AsyncSession, holder_id: str, certificate_id: str) -> CertificateDetail:
    return await detail_of(session, await owned_certificate(session, holder_id, certificate_id))


async def detail_of(
    session: AsyncSession, certificate: Certificate, storage: ObjectStorage | None = None
) -> CertificateDetail:
    """The certificate's detail for its holder (the caller has checked it is theirs)."""
    summary = card(certificate, today())
    _, spec = type_of(certificate)
    correctable = spec.correctable_fields if "correct" in summary.allowed_actions else ()
    return CertificateDetail(
        **summary.model_dump(),
        fields=fields_of(certificate),
        correctable_fields=[
            CorrectableField(
                key=field.key, label=field.label, choices=list(field.choices) if field.choices else None
            )
            for field in correctable
        ],
        item_code=certificate.item_code,
        application_id=certificate.application_id,
        scans=[
            ScanRecord(
                scanned_at=scan.scanned_at,
                agency=agency_ref(scan.agency) if scan.agency else None,
                result=Coded.of(ScanResult(scan.result)),
            )
            for scan in await repository.recent_scans(session, certificate.id)
        ],
        photo=await photo_of(storage, certificate),
    )


async def receive_from_registry(
    session: AsyncSession, registry: CertificateRegistry, holder: User, *, name: str, id_number: str
) -> None:
    """Puts what the authority's registry holds for a newly registered person into their wallet."""
    for issued in await registry.certificates_of(name=name, id_number=id_number):
        kind = CertificateType(issued.type_code)
        session.add(
            Certificate(
                holder_id=holder.id,
                holder_name=name,
                holder_is_person=True,
                type_code=kind,
                title=kind.label,
                number=issued.number,
                agency_code=issued.agency_code,
                issued_on=issued.issued_on,
                expires_on=issued.expires_on,
                fields=issued.fields,
            )
        )
    await session.flush()


async def issue_result_document(
    session: AsyncSession,
    *,
    holder_id: str,
    item_code: str,
    item_name: str,
    agency_code: str,
    application_id: str,
    number: str,
    issued_at: datetime,
    title: str,
    expires_on: date | None = None,
    licence: dict | None = None,
) -> Certificate:
    """Puts the result document of an approved application (决定书, 许可证, 备案证明 …) into the
    applicant's wallet, inside the approving transaction.

    ``number`` must be unique among all certificates; ``expires_on`` is the last valid day of a
    document with a limited validity. The caller tells the applicant (post_message) as part of
    the approval; this function sends nothing. ``licence`` (a 准予行政许可决定书's 许可事项,
    有效期限 and 附加条件, as the notice holds them) is shown among the document's fields.
    """
    fields = {"item_name": item_name}
    if licence:
        fields["matter"] = licence["matter"]
        fields["validity"] = f"{licence['valid_from']} 至 {licence['valid_until']}"
        if licence.get("conditions"):
            fields["conditions"] = licence["conditions"]
    holder = await session.get(User, holder_id)
    certificate = Certificate(
        holder_id=holder_id,
        holder_name=holder.display_name,
        holder_is_person=holder.role == Role.personal,
        type_code=CertificateType.result_document,
        title=title,
        number=number,
        agency_code=agency_code,
        issued_on=china_time(issued_at).date(),
        expires_on=expires_on,
        fields=fields,
        item_code=item_code,
        application_id=application_id,
    )
    session.add(certificate)
    await session.flush()
    return certificate


async def lookup(
    session: AsyncSession, settings: Settings, ip: str, query: CertificateLookup
) -> CertificateLookupResult:
    """证书查询. An unknown number and a wrong name give the same answer, and both are counted
    per number and address (``throttle.public_lookup``), so neither numbers nor holders' names
    can be guessed at speed, while nobody's wrong guesses refuse the holder."""
    await throttle.public_lookup(session, settings, "certificate-lookup", ip=ip, number=query.certificate_no)
    certificate = await repository.certificate_by_number(session, query.certificate_no)
    if certificate is None or certificate.holder_name != query.holder_name:
        audit.record(session, "certificate.lookup", "not_found", ip=ip)
        await throttle.public_lookup_failed(
            session, settings, "certificate-lookup", ip=ip, number=query.certificate_no
        )
        raise CertificateLookupFailed()
    audit.record(
        session, "certificate.lookup", "success", ip=ip, object_type="certificate", object_id=certificate.id
    )
    summary = card(certificate, today())
    return CertificateLookupResult(**summary.model_dump(exclude={"id", "allowed_actions"}))
