from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.auth.deps import require_roles
from app.core.auth import ROLE_ERRORS, Principal, Role
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.schemas import ID_PATTERN
from app.ships import service
from app.ships.schemas import ShipCreate, ShipRead

router = APIRouter(prefix="/me/ships", tags=["我的船舶"])
ShipOwner = Annotated[Principal, require_roles(Role.corporate)]


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
async def edit_ship(
    body: ShipCreate,
    principal: ShipOwner,
    session: SessionDep,
    ship_id: Annotated[str, Path(pattern=ID_PATTERN)],
) -> ShipRead:
    return ShipRead.model_validate(await service.update_ship(session, principal.user_id, ship_id, body))


@router.delete(
    "/{ship_id}",
    summary="删除船舶",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*ROLE_ERRORS, service.ShipNotFound),
)
async def remove_ship(
    principal: ShipOwner, session: SessionDep, ship_id: Annotated[str, Path(pattern=ID_PATTERN)]
) -> Response:
    await service.remove_ship(session, principal.user_id, ship_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
