from sqlalchemy.ext.asyncio import AsyncSession

from app.core.search import build_search_text
from app.core.seeding import read_seed, upsert
from app.reference.models import Country, FuelSupplier, Port, RegulationItem

# Loaded in foreign-key order; each entry names the columns a user may search by.
_PICK_LISTS = (
    (Country, "countries.json", ("id", "alpha3", "name_zh", "name_en")),
    (Port, "ports.json", ("id", "name_zh", "name_en")),
    (FuelSupplier, "fuel_suppliers.json", ("id", "name_zh", "name_en", "port")),
    (RegulationItem, "regulation_items.json", ("id", "title")),
)


async def load_reference_data(session: AsyncSession) -> None:
    for model, file_name, searchable in _PICK_LISTS:
        rows = [
            {**row, "search_text": build_search_text([row[column] for column in searchable])}
            for row in read_seed("app.reference", file_name)
        ]
        await upsert(session, model, rows)
