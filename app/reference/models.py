"""Pick lists for the online forms. Each row has a public ``id`` and a prepared search text."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class _PickListEntry:
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    search_text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(server_default="0", comment="order of the seed file")


class Country(_PickListEntry, Base):
    """ISO 3166-1 country or territory; ``id`` is the alpha-2 code."""

    __tablename__ = "countries"

    alpha3: Mapped[str] = mapped_column(String(3), unique=True)
    numeric: Mapped[str] = mapped_column(String(3))
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))


class Port(_PickListEntry, Base):
    """A sea or river port; ``id`` is its UN/LOCODE."""

    __tablename__ = "ports"

    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    country: Mapped[str] = mapped_column(ForeignKey("countries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(64))


class FuelSupplier(_PickListEntry, Base):
    """A marine bunker fuel supplier at a port."""

    __tablename__ = "fuel_suppliers"

    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(200))
    port: Mapped[str] = mapped_column(ForeignKey("ports.id"), index=True)
    country: Mapped[str] = mapped_column(ForeignKey("countries.id"))
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(64))


class RegulationItem(_PickListEntry, Base):
    """A rule a bunker fuel can breach (MARPOL Annex VI, China's emission control areas)."""

    __tablename__ = "regulation_items"

    title: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
