from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class Message(Base):
    """我的消息: a reminder about something that happened to one of the user's affairs."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_recipient_newest", "recipient_id", "created_at", "id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(24), comment="application, certificate, correction …")
    title: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    subject_type: Mapped[str | None] = mapped_column(String(24), comment="what the message links to")
    subject_id: Mapped[str | None] = mapped_column(IdColumn)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SubscriptionGrant(Base):
    """One-time WeChat subscribe messages a user accepted (wx.requestSubscribeMessage) for a
    template: each message sent spends one; at 0 the user gets the in-app message alone."""

    __tablename__ = "subscription_grants"
    __table_args__ = (CheckConstraint("remaining >= 0", name="remaining_not_negative"),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    remaining: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
