from fastapi import APIRouter, Response, status

from app.auth.deps import ShipOwner
from app.core.auth import ROLE_ERRORS
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.ships import service
from app.ships.deps import OwnedShip
from app.ships.schemas import ShipCreate, ShipRead

router = APIRouter(prefix="/me/ships", tags=["ships"])


@router.get(
    "",
    summary="我的船舶（法人/船舶用户）",
    response_model=list[ShipRead],
    responses=error_responses(*ROLE_ERRORS, validation=False),
)
async def list_ships(principal: ShipOwner, session: SessionDep) -> list[ShipRead]:
    return [ShipRead.model_validate(ship) for ship in await service.list_ships(session, principal.user_id)]


@router.post(
    "",
    summary="添加船舶",
    status_code=status.HTTP_201_CREATED,
    response_model=ShipRead,
    responses=error_responses(*ROLE_ERRORS, service.ShipExists),
)
async def add_ship(body: ShipCreate, principal: ShipOwner, session: SessionDep) -> ShipRead:
    return ShipRead.model_validate(await service.add_ship(session, principal.user_id, body))


@router.put(
    "/{ship_id}",
    summary="修改船舶",
    response_model=ShipRead,
    responses=error_responses(*ROLE_ERRORS, service.ShipNotFound, service.ShipExists),
)
async def edit_ship(body: ShipCreate, session: SessionDep, ship: OwnedShip) -> ShipRead:
    return ShipRead.model_validate(await service.update_ship(session, ship, body))


@router.delete(
    "/{ship_id}",
    summary="删除船舶",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*ROLE_ERRORS, service.ShipNotFound),
)
async def remove_ship(session: SessionDep, ship: OwnedShip) -> Response:
    await service.remove_ship(session, ship)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
