from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import decode_cursor, split_page
from app.core.search import matches


async def search(session: AsyncSession, model, query: str | None, *, cursor: str | None, limit: int):
    """One page of a pick list ordered by id, optionally matching ``query``."""
    statement = select(model).order_by(model.id).limit(limit + 1)
    if query:
        statement = statement.where(matches(model.search_text, query))
    if cursor:
        statement = statement.where(model.id > decode_cursor(cursor, str)[0])
    return split_page(list(await session.scalars(statement)), limit, lambda row: [row.id])
