from sqlalchemy import asc, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import keyset, page_of
from app.help.models import HelpArticle

IN_ORDER = [(HelpArticle.position, asc)]


async def list_articles(
    session: AsyncSession, *, cursor: str | None, limit: int
) -> tuple[list[HelpArticle], str | None]:
    """One page of the articles in their order, and the cursor of the next page."""
    rows = list(await session.scalars(keyset(select(HelpArticle), IN_ORDER, cursor, limit)))
    return page_of(rows, limit, IN_ORDER)


async def get_article(session: AsyncSession, article_id: str) -> HelpArticle | None:
    return await session.get(HelpArticle, article_id)
