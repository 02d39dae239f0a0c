"""The caller's material, already loaded and checked: ``material: OwnedMaterial``."""

from typing import Annotated

from fastapi import Depends, Path

from app.auth.deps import Applicant
from app.core.db import SessionDep
from app.core.schemas import ID_PATTERN
from app.materials import service
from app.materials.models import Material

MaterialId = Annotated[str, Path(pattern=ID_PATTERN)]


async def _owned_material(principal: Applicant, session: SessionDep, material_id: MaterialId) -> Material:
    """The applicant's own material; anyone else's, or a removed one, does not exist (404)."""
    return await service.owned_material(session, principal.user_id, material_id)


OwnedMaterial = Annotated[Material, Depends(_owned_material)]
