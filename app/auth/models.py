from datetime import datetime

from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, JSONDocument, UTCDateTime, new_id, utcnow


class AuthSession(Base):
    """A signed-in device: the family of refresh tokens issued since one login."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    last_seen_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, comment="last request, written at most once a minute (idle timeout)"
    )


class RefreshToken(Base):
    """One refresh token of a session; it works once (rotation)."""

    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(IdColumn, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FaceSession(Base):
    """A face verification opened for one person and one purpose; consumed by its first use."""

    __tablename__ = "face_sessions"
    __table_args__ = (
        # Only sessions still holding a person: what the housekeeping job looks for stays small.
        Index(
            "ix_face_sessions_holding_a_person",
            "expires_at",
            postgresql_where=text("name <> ''"),
            sqlite_where=text("name <> ''"),
        ),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    purpose: Mapped[str] = mapped_column(String(24))
    method: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    id_number_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replay_key: Mapped[str | None] = mapped_column(
        String(64), unique=True, comment="digest of the verify_result that consumed it"
    )


class SignInTicket(Base):
    """A step of a privileged sign-in that is not finished: the second factor (verify or enrol)
    or the change of an expired password. Short-lived and single-use; only its digest is stored."""

    __tablename__ = "sign_in_tickets"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    wechat_openid: Mapped[str | None] = mapped_column(String(64), comment="to bind once signed in")
    pending_secret_encrypted: Mapped[bytes | None] = mapped_column(
        LargeBinary, comment="TOTP secret offered for enrolment, not yet confirmed"
    )


class SecondFactor(Base):
    """The TOTP secret of an account (encrypted) and the last time step used (replay guard)."""

    __tablename__ = "second_factors"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(Base):
    """One single-use recovery code of a second factor; only its digest is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MachineClient(Base):
    """A machine client (系统对接) of the authority's own systems, on top of its ``users`` row
    (role ``integration``), which carries its name (``display_name``), its agency and what it
    did (audit, timelines). It signs in with the OAuth 2.0 client-credentials grant only."""

    __tablename__ = "machine_clients"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128), comment="the unit answerable for the client")
    scopes: Mapped[list[str]] = mapped_column(JSONDocument, comment="app.core.auth.Scope values")
    allowed_sources: Mapped[list[str]] = mapped_column(
        JSONDocument, comment="CIDR networks it may call from; empty: anywhere"
    )
    secret_hash: Mapped[str | None] = mapped_column(String(255), comment="none for private_key_jwt only")
    public_jwks: Mapped[dict[str, Any] | None] = mapped_column(
        JSONDocument, comment="public keys for private_key_jwt client assertions"
    )
    rate_limit_per_minute: Mapped[int] = mapped_column(default=600)
    # Raised by a rotation or a revocation: tokens carry it (claim ``cv``) and stop working.
    credentials_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
