from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class AccountRequest(Base):
    """双人复核: a security administrator's request to create, unlock, reset, disable or enable an
    administrator account, carried out only once an administrator of another duty approves it."""

    __tablename__ = "admin_account_requests"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    action: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    account_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, comment="set once a creation is carried out"
    )
    role: Mapped[str] = mapped_column(String(16), comment="the account's role")
    username: Mapped[str | None] = mapped_column(String(32), comment="creation only")
    display_name: Mapped[str | None] = mapped_column(String(128), comment="creation only")
    reason: Mapped[str] = mapped_column(String(200))
    requested_by: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str | None] = mapped_column(String(200))
    initial_part_encrypted: Mapped[bytes | None] = mapped_column(
        LargeBinary,
        comment="creation: the requester's half of the initial password until the request is closed",
    )
