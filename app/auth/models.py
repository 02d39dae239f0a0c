from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class AuthSession(Base):
    """A signed-in device: the family of refresh tokens issued since one login."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(32))


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
