"""我的船舶: the ships a corporate or ship account reports for."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import AppError, InvalidInput, NotFound
from app.reference.models import Country
from app.ships.models import Ship
from app.ships.schemas import ShipCreate


class ShipNotFound(NotFound):
    code = "ship.not_found"
    title = "未找到该船舶"


class ShipExists(AppError):
    status = 409
    code = "ship.exists"
    title = "该船舶已添加"


async def list_ships(session: AsyncSession, owner_id: str) -> list[Ship]:
    statement = select(Ship).where(Ship.owner_id == owner_id).order_by(Ship.created_at, Ship.id)
    return list(await session.scalars(statement))


async def _check_flag(session: AsyncSession, ship: ShipCreate) -> None:
    if await session.get(Country, ship.flag) is None:
        raise InvalidInput([(("body", "flag"), "船旗国代码不存在", "unknown_country")])


async def add_ship(session: AsyncSession, owner_id: str, ship: ShipCreate) -> Ship:
    await _check_flag(session, ship)
    row = Ship(owner_id=owner_id, **ship.model_dump())
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError as error:
        raise ShipExists(f"IMO编号为 {ship.imo_number} 的船舶已在您的船舶列表中") from error
    return row


async def owned_ship(session: AsyncSession, owner_id: str, ship_id: str) -> Ship:
    """The ship if it is the caller's; anyone else's is indistinguishable from a missing one."""
    ship = await session.get(Ship, ship_id)
    if ship is None or ship.owner_id != owner_id:
        raise ShipNotFound()
    return ship


async def remove_ship(session: AsyncSession, ship: Ship) -> None:
    await session.delete(ship)


async def update_ship(session: AsyncSession, row: Ship, ship: ShipCreate) -> Ship:
    """Replaces the ship's particulars; its IMO number may not be another of the owner's ships'."""
    owner_id, ship_id = row.owner_id, row.id
    await _check_flag(session, ship)
    taken = await session.scalar(
        select(Ship.id).where(Ship.owner_id == owner_id, Ship.imo_number == ship.imo_number, Ship.id != ship_id)
    )
    if taken is not None:
        raise ShipExists(f"IMO编号为 {ship.imo_number} 的船舶已在您的船舶列表中")
    for key, value in ship.model_dump().items():
        setattr(row, key, value)
    await session.flush()
    return row
