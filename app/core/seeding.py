"""Idempotent loading of the data the service ships with (``python -m app.cli seed``)."""

import json
from importlib import resources
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import upsert_statement


def read_seed(package: str, name: str) -> list[dict[str, Any]]:
    """A JSON file from ``<package>/seed/``, shipped inside the wheel."""
    return json.loads(resources.files(package).joinpath("seed", name).read_text(encoding="utf-8"))


async def upsert(session: AsyncSession, model: type, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows``, or update the ones whose primary key exists: rerunning changes nothing."""
    if not rows:
        return
    insert = upsert_statement(session, model)
    keys = [column.name for column in inspect(model).primary_key]
    updates = {name: insert.excluded[name] for name in rows[0] if name not in keys}
    statement = (
        insert.on_conflict_do_update(index_elements=keys, set_=updates)
        if updates
        else insert.on_conflict_do_nothing(index_elements=keys)
    )
    await session.execute(statement, rows)
