"""The company's ship, already loaded and checked: ``ship: OwnedShip``."""

from typing import Annotated

from fastapi import Depends, Path

from app.auth.deps import ShipOwner
from app.core.db import SessionDep
from app.core.schemas import ID_PATTERN
from app.ships import service
from app.ships.models import Ship

ShipId = Annotated[str, Path(pattern=ID_PATTERN)]


async def _owned_ship(principal: ShipOwner, session: SessionDep, ship_id: ShipId) -> Ship:
    """The ship if it is the caller's; anyone else's is indistinguishable from a missing one."""
    return await service.owned_ship(session, principal.user_id, ship_id)


OwnedShip = Annotated[Ship, Depends(_owned_ship)]
