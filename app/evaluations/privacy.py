"""Evaluations' part of 导出我的数据 (registered in ``app.api.wire_domains``). Evaluations are kept
when an account is closed, linked only to the emptied account.

A bad rating's 回访整改 task goes with it: exported inside the evaluation as the applicant sees
it in 我的评价 (state, deadline, the rectification once closed), and kept with it when the account
is closed (it is the agency's record of answering the complaint, like the rating itself). Staff's
notes of the call stay out of the archive, as they stay out of 我的评价."""

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
