"""Certificates' part of 导出我的数据 (registered in ``app.api.wire_domains``). Certificates and
corrections are kept when an account is closed, linked only to the emptied account."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.certificates import corrections, service
from app.certificates.schemas import CertificateDetail, CorrectionRead
from app.core.pii import PersonalDataCipher
from app.privacy.registry import PAGE, every_page


async def export_certificates(
    session: AsyncSession, pii: PersonalDataCipher, uid: str
) -> list[CertificateDetail]:
    return [
        await service.certificate_detail(session, uid, card.id)
        for card in await every_page(
            lambda c: service.list_certificates(session, uid, type_code=None, cursor=c, limit=PAGE)
        )
    ]


async def export_corrections(
    session: AsyncSession, pii: PersonalDataCipher, uid: str
) -> list[CorrectionRead]:
    return await every_page(lambda c: corrections.my_corrections(session, uid, cursor=c, limit=PAGE))
