from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.core.db import Base, IdColumn, JSONDocument, UTCDateTime, new_id, utcnow
from app.core.enums import LabelledEnum
from app.materials.models import CorrectionMaterial as CorrectionMaterial  # defined with materials
from app.materials.models import Material


class CertificateStatus(LabelledEnum):
    valid = "valid", "有效"
    expiring = "expiring", "即将到期"
    expired = "expired", "已过期"
    suspended = "suspended", "已暂扣"
    revoked = "revoked", "已注销"


class RegistryStatus(LabelledEnum):
    """The status the authority's registry pushes (the registry decides, not the dates)."""

    valid = "valid", "有效"
    suspended = "suspended", "已暂扣"
    revoked = "revoked", "已注销"
    expired = "expired", "已过期"


class ScanResult(LabelledEnum):
    verified = "verified", "核验通过"
    token_invalid = "token_invalid", "二维码无效"
    token_expired = "token_expired", "二维码已过期"
    token_unknown_key = "token_unknown_key", "签名密钥未知"
    revoked = "revoked", "证照已注销"
    suspended = "suspended", "证照已暂扣"


class CorrectionStatus(LabelledEnum):
    pending = "pending", "待处理"
    accepted = "accepted", "已更正"
    rejected = "rejected", "不予更正"


class Certificate(Base):
    """A certificate in its holder's wallet (我的证照): pushed by the authority's registry
    (``registry_id`` set) or issued by an approved application. Its status is the registry's
    (``registry_status``) where it says suspended, revoked or expired, otherwise computed from
    the dates and ``revoked_at`` (``app.certificates.service.status_of``)."""

    __tablename__ = "certificates"
    __table_args__ = (
        Index("ix_certificates_holder_newest", "holder_id", "issued_on", "id"),
        # Pushed certificates whose holder has not registered yet: claimed at registration.
        Index(
            "ix_certificates_unclaimed",
            "holder_key",
            postgresql_where=text("holder_id IS NULL"),
            sqlite_where=text("holder_id IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    holder_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), comment="none until the holder registers"
    )
    holder_key: Mapped[str | None] = mapped_column(
        String(64),
        comment="pushed: a person's ID-number blind index (as personal_profiles) or a credit code",
    )
    holder_name: Mapped[str] = mapped_column(String(128), comment="as printed: a person's or company's name")
    holder_is_person: Mapped[bool] = mapped_column(comment="person names are masked wherever shown")
    type_code: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(128))
    number: Mapped[str] = mapped_column(String(32), unique=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, comment="last valid day; none for unlimited")
    fields: Mapped[dict[str, str]] = mapped_column(JSONDocument, comment="type-specific, see types.py")
    item_code: Mapped[str | None] = mapped_column(ForeignKey("service_items.code"))
    application_id: Mapped[str | None] = mapped_column(
        ForeignKey("applications.id"), index=True, comment="the issuing 办件"
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registry_id: Mapped[str | None] = mapped_column(
        String(64), unique=True, comment="the registry's own id of a pushed certificate"
    )
    source_version: Mapped[int | None] = mapped_column(
        BigInteger, comment="the registry's version of what is stored; older pushes never overwrite"
    )
    registry_status: Mapped[str | None] = mapped_column(String(16), comment="RegistryStatus as pushed")
    push_digest: Mapped[str | None] = mapped_column(
        String(64), comment="keyed digest of the stored push: a resend of the same version is recognised"
    )
    photo_key: Mapped[str | None] = mapped_column(String(160), comment="the holder's photo in object storage")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, comment="last applied push")

    agency: Mapped[Agency] = relationship(lazy="raise")


class CertificateScan(Base):
    """One 执法人员扫码, successful or not; the holder sees when and by which agency."""

    __tablename__ = "certificate_scans"
    __table_args__ = (Index("ix_certificate_scans_certificate_newest", "certificate_id", "scanned_at"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    certificate_id: Mapped[str | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="CASCADE"), comment="none when the token was not genuine"
    )
    officer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"))
    key_id: Mapped[str | None] = mapped_column(String(64), comment="kid the token named, verified or not")
    result: Mapped[str] = mapped_column(String(24))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship(lazy="raise")


class CertificateCorrection(Base):
    """证照纠错: a holder asks the issuing agency to change one field of a 船员证照."""

    __tablename__ = "certificate_corrections"
    __table_args__ = (
        Index("ix_certificate_corrections_requester_newest", "requester_id", "created_at", "id"),
        Index("ix_certificate_corrections_queue", "status", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    certificate_id: Mapped[str] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    proposed_value: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(String(200), comment="what an accepted change replaced")
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certificate: Mapped[Certificate] = relationship(lazy="raise")
    materials: Mapped[list[Material]] = relationship(
        secondary="certificate_correction_materials", lazy="raise", order_by="Material.created_at"
    )


class DisplaySigningKey(Base):
    """An ES256 key that signs 亮证 tokens. One is active; retired ones stay published in the
    JWKS until every token they signed has expired, and lose their private half."""

    __tablename__ = "display_signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True, comment="RFC 7638 thumbprint")
    # True for the signing key, NULL once retired: the unique constraint admits one active key.
    active: Mapped[bool | None] = mapped_column(unique=True)
    private_key_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary, comment="PEM, PII cipher")
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
