"""亮证 and 执法人员扫码 (manual §3.3.4, home page 执法人员扫码).

The holder's phone shows a QR code carrying a compact JWS (ES256, 2 minutes) that names the
certificate; an officer's device can verify it offline against ``/.well-known/jwks.json``, and
``POST /officer/scans`` verifies it online, adds the certificate's current status and records
the scan. Every scan is recorded, the refused ones too (their errors keep the request's writes).
"""

import secrets
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.certificates import repository, service, signing_keys
from app.certificates.models import Certificate, CertificateScan, CertificateStatus, ScanResult
from app.certificates.schemas import DisplayToken, ScannedCertificate
from app.core.auth import Principal
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import AppError
from app.core.pii import PersonalDataCipher
from app.core.qr import qr_svg
from app.integrations.storage.base import ObjectStorage
from app.core.security import ES256, InvalidToken, TokenExpired, sign_token, token_header, verify_token

# Display tokens are for officers' scanners only, never for the API's bearer authentication.
AUDIENCE = "msa-certificate-display"
MAX_KID_LENGTH = 64


class CertificateNotDisplayable(AppError):
    status = 409
    code = "certificate.not_displayable"
    title = "该证照不支持亮证"


class ScanRefused(AppError):
    """A scanned token the API cannot honour: bad input like any other body it refuses."""

    status = 422
    scan_result: ClassVar[ScanResult]
    keep_changes = True  # the refused scan stays recorded


class DisplayTokenInvalid(ScanRefused):
    code = "certificate.token_invalid"
    title = "二维码无效，不是海事一网通办签发的亮证二维码"
    scan_result = ScanResult.token_invalid


class DisplayTokenExpired(ScanRefused):
    code = "certificate.token_expired"
    title = "二维码已过期，请持证人刷新后重新亮证"
    scan_result = ScanResult.token_expired


class DisplayTokenUnknownKey(ScanRefused):
    code = "certificate.token_unknown_key"
    title = "二维码的签名密钥未知或已停用，请持证人重新亮证"
    scan_result = ScanResult.token_unknown_key


class CertificateRevoked(ScanRefused):
    status = 409
    code = "certificate.revoked"
    title = "该证照已注销"
    scan_result = ScanResult.revoked


class CertificateSuspended(ScanRefused):
    status = 409
    code = "certificate.suspended"
    title = "该证照已被暂扣"
    scan_result = ScanResult.suspended


async def display_token(
    session: AsyncSession, settings: Settings, pii: PersonalDataCipher, certificate: Certificate
) -> DisplayToken:
    """亮证 of a certificate in the caller's wallet (app.certificates.deps.OwnedCertificate)."""
    status = service.status_of(certificate, service.today())
    if status is CertificateStatus.revoked:
        raise CertificateRevoked("该证照已注销，不能亮证")
    if "display" not in service.allowed_actions(certificate, status):
        if service.type_of(certificate)[1].crew:
            raise CertificateNotDisplayable(f"该证照{status.label}，不能亮证")
        raise CertificateNotDisplayable("只有船员证照可以亮证")
    key = await signing_keys.active_key(session, pii)
    now = utcnow().replace(microsecond=0)  # JWT times are whole seconds
    expires_at = now + signing_keys.TOKEN_TTL
    claims: dict[str, Any] = {
        "iss": settings.token_issuer,
        "aud": AUDIENCE,
        "sub": certificate.id,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        # Two displays of one certificate never give the same token.
        "nonce": secrets.token_urlsafe(12),
        "certificate_no": certificate.number,
        # The type's code, not its Chinese name: every byte makes the QR code denser.
        "certificate_type": certificate.type_code,
        "holder": service.holder_shown(certificate),
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
    }
    token = sign_token(claims, key.private_pem, ES256, headers={"kid": key.kid})
    return DisplayToken(
        token=token,
        key_id=key.kid,
        expires_at=expires_at,
        expires_in=int(signing_keys.TOKEN_TTL.total_seconds()),
        qr_svg=qr_svg(token),
    )


async def scan(
    session: AsyncSession,
    settings: Settings,
    officer: Principal,
    token: str,
    *,
    ip: str,
    storage: ObjectStorage | None = None,
) -> ScannedCertificate:
    record = CertificateScan(officer_id=officer.user_id, agency_code=officer.agency_code, scanned_at=utcnow())
    try:
        certificate = await _verified_certificate(session, settings, token, record)
    except ScanRefused as refusal:
        _recorded(session, record, refusal.scan_result, ip)
        raise
    _recorded(session, record, ScanResult.verified, ip)
    return service.as_scanned(certificate, record.scanned_at, await service.photo_of(storage, certificate))


def _recorded(session: AsyncSession, record: CertificateScan, result: ScanResult, ip: str) -> None:
    """In the certificate's scan history (shown to the holder) and in the audit trail."""
    record.result = result
    session.add(record)
    audit.record(
        session,
        "certificate.scan",
        "success" if result is ScanResult.verified else "refused",
        actor_id=record.officer_id,
        ip=ip,
        object_type="certificate" if record.certificate_id else None,
        object_id=record.certificate_id,
        detail={"result": result.value},
    )


async def _verified_certificate(
    session: AsyncSession, settings: Settings, token: str, record: CertificateScan
) -> Certificate:
    """Key, signature, expiry, then the certificate's current state; notes on ``record`` what
    was learnt on the way."""
    try:
        kid = token_header(token).get("kid")
    except InvalidToken as error:
        raise DisplayTokenInvalid() from error
    if not isinstance(kid, str) or len(kid) > MAX_KID_LENGTH:
        raise DisplayTokenUnknownKey()
    record.key_id = kid
    key = await signing_keys.published_key(session, kid)
    if key is None:
        raise DisplayTokenUnknownKey()
    try:
        claims = verify_token(
            token, key.public_jwk, algorithms=[ES256], audience=AUDIENCE, issuer=settings.token_issuer
        )
    except TokenExpired as error:
        raise DisplayTokenExpired() from error
    except InvalidToken as error:
        raise DisplayTokenInvalid() from error
    certificate = await repository.certificate(session, claims.get("sub", ""))
    if certificate is None:
        raise DisplayTokenInvalid()
    record.certificate_id = certificate.id
    # Its status now, not when the token was signed: a token shown before a revocation or a
    # suspension scans as revoked or suspended.
    status = service.status_of(certificate, service.today())
    if status is CertificateStatus.revoked:
        raise CertificateRevoked("该证照已注销，不能作为有效证照使用")
    if status is CertificateStatus.suspended:
        raise CertificateSuspended("该证照已被暂扣，不能作为有效证照使用")
    return certificate
