from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class Ship(Base):
    """A ship a corporate or ship account reports for (我的船舶)."""

    __tablename__ = "ships"
    __table_args__ = (UniqueConstraint("owner_id", "imo_number"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    imo_number: Mapped[str] = mapped_column(String(7))
    mmsi: Mapped[str] = mapped_column(String(9))
    call_sign: Mapped[str | None] = mapped_column(String(16))
    flag: Mapped[str] = mapped_column(ForeignKey("countries.id"))
    port_of_registry: Mapped[str | None] = mapped_column(String(32))
    ship_type: Mapped[str] = mapped_column(String(32))
    gross_tonnage: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
