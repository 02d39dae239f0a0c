from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.help.models import HelpArticle


async def list_articles(
    session: AsyncSession, *, after_position: int | None, limit: int
) -> list[HelpArticle]:
    statement = select(HelpArticle).order_by(HelpArticle.position).limit(limit)
    if after_position is not None:
        statement = statement.where(HelpArticle.position > after_position)
    return list(await session.scalars(statement))


async def get_article(session: AsyncSession, article_id: str) -> HelpArticle | None:
    return await session.get(HelpArticle, article_id)
