from sqlalchemy import asc, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import keyset, page_of
from app.core.search import matches


async def search(session: AsyncSession, model, query: str | None, *, cursor: str | None, limit: int):
    """One page of a pick list ordered by id, optionally matching ``query``."""
    by_id = [(model.id, asc)]
    statement = select(model)
    if query:
        statement = statement.where(matches(model.search_text, query))
    return page_of(list(await session.scalars(keyset(statement, by_id, cursor, limit))), limit, by_id)
