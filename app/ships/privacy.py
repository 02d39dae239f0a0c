"""Ships' part of 导出我的数据 and 注销账号 (registered in ``app.api.wire_domains``)."""

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pii import PersonalDataCipher
from app.integrations.storage.base import ObjectStorage
from app.ships import service
from app.ships.models import Ship
from app.ships.schemas import ShipRead


async def export_ships(session: AsyncSession, pii: PersonalDataCipher, uid: str) -> list[ShipRead]:
    return [ShipRead.model_validate(ship) for ship in await service.list_ships(session, uid)]


async def erase_ships(session: AsyncSession, storage: ObjectStorage, uid: str) -> None:
    await session.execute(delete(Ship).where(Ship.owner_id == uid))
