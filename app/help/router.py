from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound, error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.read_cache import CACHED_RESPONSES, ReadCacheDep
from app.core.schemas import Page
from app.help import repository
from app.help.schemas import HelpArticleRead, HelpArticleSummary

router = APIRouter(prefix="/help", tags=["help"])


class HelpArticleNotFound(NotFound):
    code = "help.article_not_found"
    title = "未找到该帮助文章"


@router.get(
    "/articles",
    summary="帮助指引目录",
    response_model=Page[HelpArticleSummary],
    responses={**CACHED_RESPONSES, **error_responses(InvalidCursor)},
)
async def list_help_articles(
    request: Request, reads: ReadCacheDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Response:
    async def produce(session: AsyncSession) -> Page[HelpArticleSummary]:
        rows, next_cursor = await repository.list_articles(session, cursor=cursor, limit=limit)
        return Page(items=[HelpArticleSummary.model_validate(row) for row in rows], next_cursor=next_cursor)

    return await reads.respond(request, "help", produce)


@router.get(
    "/articles/{article_id}",
    summary="帮助文章",
    response_model=HelpArticleRead,
    responses={**CACHED_RESPONSES, **error_responses(HelpArticleNotFound)},
)
async def get_help_article(
    request: Request,
    reads: ReadCacheDep,
    article_id: Annotated[str, Path(pattern=r"^[a-z0-9-]{1,64}$", examples=["login-personal-face"])],
) -> Response:
    async def produce(session: AsyncSession) -> HelpArticleRead:
        article = await repository.get_article(session, article_id)
        if article is None:
            raise HelpArticleNotFound(f"帮助文章“{article_id}”不存在")
        return HelpArticleRead.model_validate(article)

    return await reads.respond(request, "help", produce)
