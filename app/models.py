"""Every model, imported so that ``Base.metadata`` knows the whole schema (Alembic, tests)."""

from app.agencies.models import Agency
from app.catalog.models import OnlineForm, ServiceItem, ServiceItemLevel
from app.core.db import Base
from app.help.models import HelpArticle
from app.reference.models import Country, FuelSupplier, Port, RegulationItem

__all__ = [
    "Agency",
    "Base",
    "Country",
    "FuelSupplier",
    "HelpArticle",
    "OnlineForm",
    "Port",
    "RegulationItem",
    "ServiceItem",
    "ServiceItemLevel",
]
