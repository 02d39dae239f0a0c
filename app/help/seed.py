"""The help articles (``articles.json``): records to rows for loading, rows back to records."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.seeding import FieldError, Rows, prepare_rows, upsert
from app.help.models import HelpArticle

ARTICLES_FILE = "articles.json"
_COLUMNS = ("id", "category", "title", "summary", "body")


def article_rows(records: Rows) -> Rows:
    """In the articles' ``order``, which becomes their position (0, 1, 2 …)."""
    rows = sorted(prepare_rows(ARTICLES_FILE, "id", records, _article_row), key=lambda row: row["position"])
    return [{**row, "position": position} for position, row in enumerate(rows)]


def _article_row(_: int, article: dict[str, Any]) -> dict[str, Any]:
    order = article["order"]
    if isinstance(order, bool) or not isinstance(order, int):
        raise FieldError("order", f"应为整数，而不是 {order!r}")
    return {**{column: article[column] for column in _COLUMNS}, "position": order}


async def write_help_articles(session: AsyncSession, rows: Rows) -> None:
    await upsert(session, HelpArticle, rows)


async def article_records(session: AsyncSession) -> Rows:
    """Numbered from 1 in their order, as the shipped file numbers them."""
    articles = await session.scalars(select(HelpArticle).order_by(HelpArticle.position))
    return [
        {
            "id": article.id,
            "category": article.category,
            "order": order,
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
        }
        for order, article in enumerate(articles, start=1)
    ]
