"""The pick lists (``countries.json``, ``ports.json``, ``fuel_suppliers.json``,
``regulation_items.json``): records to rows for loading, rows back to records for export."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.search import build_search_text
from app.core.seeding import Rows, prepare_rows, require_known, upsert
from app.reference.models import Country, FuelSupplier, Port, RegulationItem

# Loaded in foreign-key order; each entry names the columns a user may search by.
PICK_LISTS = (
    (Country, "countries.json", ("id", "alpha3", "name_zh", "name_en")),
    (Port, "ports.json", ("id", "name_zh", "name_en")),
    (FuelSupplier, "fuel_suppliers.json", ("id", "name_zh", "name_en", "port")),
    (RegulationItem, "regulation_items.json", ("id", "title")),
)
# Neither in the files: made from them.
_DERIVED = ("search_text", "position")


def pick_list_rows(records: dict[str, Rows]) -> dict[str, Rows]:
    """Every pick list by file name; an entry names only entries of the lists loaded before it."""
    ids: dict[str, set[str]] = {}  # table name -> ids
    rows: dict[str, Rows] = {}
    for model, file_name, searchable in PICK_LISTS:
        references = {fk.parent.name: ids[fk.column.table.name] for fk in model.__table__.foreign_keys}
        rows[file_name] = prepare_rows(
            file_name, "id", records[file_name], _entry(model, searchable, references)
        )
        ids[model.__tablename__] = {row["id"] for row in rows[file_name]}
    return rows


def _entry(model, searchable: tuple[str, ...], references: dict[str, set[str]]):
    columns = _columns(model)

    def prepare(position: int, record: dict[str, Any]) -> dict[str, Any]:
        for field, known in references.items():
            require_known(field, record[field], known, "引用的条目")
        return {
            **{column: record[column] for column in columns},
            "search_text": build_search_text([record[column] for column in searchable]),
            "position": position,
        }

    return prepare


async def write_pick_lists(session: AsyncSession, rows: dict[str, Rows]) -> None:
    for model, file_name, _ in PICK_LISTS:
        await upsert(session, model, rows[file_name])


async def pick_list_records(session: AsyncSession) -> dict[str, Rows]:
    """Every pick list as its file holds it, by file name."""
    return {
        file_name: [
            {column: getattr(entry, column) for column in _columns(model)}
            for entry in await session.scalars(select(model).order_by(model.position, model.id))
        ]
        for model, file_name, _ in PICK_LISTS
    }


def _columns(model) -> list[str]:
    """The file's keys: the id first, then the columns as the model declares them."""
    names = [column.name for column in model.__table__.columns if column.name not in _DERIVED]
    return ["id", *(name for name in names if name != "id")]
