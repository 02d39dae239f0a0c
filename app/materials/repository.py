"""Queries of 我的材料."""

from sqlalchemy import desc, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import keyset
from app.materials.models import ApplicationMaterial, CorrectionMaterial, Material

NEWEST_FIRST = [(Material.created_at, desc), (Material.id, desc)]


async def usage(session: AsyncSession, owner_id: str) -> tuple[int, int]:
    """Files and bytes of the owner's materials still in 我的材料."""
    row = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Material.size), 0)).where(
                Material.owner_id == owner_id, Material.deleted_at.is_(None)
            )
        )
    ).one()
    return row[0], row[1]


async def add(session: AsyncSession, material: Material) -> None:
    session.add(material)
    await session.flush()


async def material(session: AsyncSession, material_id: str) -> Material | None:
    return await session.get(Material, material_id)


async def newest_materials(
    session: AsyncSession, owner_id: str, *, cursor: str | None, limit: int
) -> list[Material]:
    """The owner's materials in 我的材料, newest first, ``limit + 1`` of them (see ``page_of``)."""
    statement = select(Material).where(Material.owner_id == owner_id, Material.deleted_at.is_(None))
    return list(await session.scalars(keyset(statement, NEWEST_FIRST, cursor, limit)))


async def every_material(session: AsyncSession, owner_id: str) -> list[Material]:
    """All the owner's materials, those already removed from 我的材料 included."""
    return list(await session.scalars(select(Material).where(Material.owner_id == owner_id)))


async def delete(session: AsyncSession, material: Material) -> None:
    await session.delete(material)


async def recorded_keys(session: AsyncSession, storage_keys: set[str]) -> set[str]:
    """The storage and thumbnail keys of the materials stored under ``storage_keys``."""
    recorded = set()
    for storage_key, thumbnail_key in await session.execute(
        select(Material.storage_key, Material.thumbnail_key).where(Material.storage_key.in_(storage_keys))
    ):
        recorded.update((storage_key, thumbnail_key))
    return recorded


async def in_use(session: AsyncSession, material_ids: list[str]) -> set[str]:
    """Those attached to an application or to a correction request."""
    used: set[str] = set()
    for column in (ApplicationMaterial.material_id, CorrectionMaterial.material_id):
        used.update(await session.scalars(select(column).where(column.in_(material_ids)).distinct()))
    return used
