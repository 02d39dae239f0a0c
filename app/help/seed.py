from sqlalchemy.ext.asyncio import AsyncSession

from app.core.seeding import read_seed, upsert
from app.help.models import HelpArticle

_COLUMNS = ("id", "category", "title", "summary", "body")


async def load_help_articles(session: AsyncSession) -> None:
    articles = sorted(read_seed("app.help", "articles.json"), key=lambda a: a["order"])
    rows = [
        {**{column: article[column] for column in _COLUMNS}, "position": position}
        for position, article in enumerate(articles)
    ]
    await upsert(session, HelpArticle, rows)
