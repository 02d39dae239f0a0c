"""Materials' part of 导出我的数据 and 注销账号 (registered in ``app.api.wire_domains``)."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pii import PersonalDataCipher
from app.integrations.storage.base import ObjectStorage
from app.materials import service
from app.materials.schemas import MaterialRead
from app.privacy.registry import PAGE, every_page


async def export_materials(session: AsyncSession, pii: PersonalDataCipher, uid: str) -> list[MaterialRead]:
    return await every_page(lambda c: service.list_materials(session, uid, cursor=c, limit=PAGE))


async def erase_materials(session: AsyncSession, storage: ObjectStorage, uid: str) -> None:
    await service.remove_all(session, storage, uid)
