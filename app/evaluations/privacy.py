"""Evaluations' part of 导出我的数据 (registered in ``app.api.wire_domains``). Evaluations are kept
when an account is closed, linked only to the emptied account."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pii import PersonalDataCipher
from app.evaluations import service
from app.evaluations.schemas import EvaluationRead
from app.privacy.registry import PAGE, every_page


async def export_evaluations(
    session: AsyncSession, pii: PersonalDataCipher, uid: str
) -> list[EvaluationRead]:
    return await every_page(
        lambda c: service.list_evaluations(session, cursor=c, limit=PAGE, evaluator_id=uid)
    )
