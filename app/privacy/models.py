from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class Consent(Base):
    """A separate consent (单独同意, PIPL art. 29): to one purpose, as worded in one policy version.

    Given either by a signed-in account (``user_id``) or, before any account exists, for one face
    session (``face_session_id``). Withdrawal stops future processing; the row stays as evidence.
    """

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_user_purpose", "user_id", "purpose"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    face_session_id: Mapped[str | None] = mapped_column(
        ForeignKey("face_sessions.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(32))
    policy_version: Mapped[str] = mapped_column(String(16))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
