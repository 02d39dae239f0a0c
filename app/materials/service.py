"""我的材料: upload, list, content and removal, with quotas and idempotent retries."""

import asyncio
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from app.core import idempotency
from app.core.config import Settings
from app.core.db import after_commit, after_rollback, new_id, release_before_waiting, utcnow
from app.core.errors import AppError, NotFound
from app.core.pagination import page_of
from app.integrations.storage.base import MATERIALS_PREFIX, ObjectStorage, put_bytes
from app.materials import images, repository
from app.materials.file_types import FILE_TYPES
from app.materials.models import Material
from app.materials.schemas import MaterialKind, MaterialRead
from app.materials.upload import UploadTooLarge, receive_file
from app.privacy import consents
from app.privacy.texts import ConsentPurpose

THUMBNAIL_SUFFIX = ".thumb.jpg"
MIB = 1024 * 1024


class MaterialNotFound(NotFound):
    code = "material.not_found"
    title = "未找到该材料"


class QuotaExceeded(AppError):
    status = 413
    code = "material.quota_exceeded"
    title = "我的材料已达上限，请删除不用的材料后再上传"


@dataclass(frozen=True)
class Upload:
    status_code: int
    material: dict


def material_read(material: Material) -> MaterialRead:
    return MaterialRead(
        id=material.id,
        name=material.name,
        kind=material.kind,
        file_type=material.file_type,
        content_type=material.content_type,
        size=material.size,
        sha256=material.sha256,
        is_image=FILE_TYPES[material.file_type].is_image,
        has_thumbnail=material.thumbnail_key is not None,
        created_at=material.created_at,
    )


async def usage(session: AsyncSession, owner_id: str) -> tuple[int, int]:
    """Files and bytes counted against the owner's quota."""
    return await repository.usage(session, owner_id)


async def _room_left(session: AsyncSession, settings: Settings, owner_id: str) -> int:
    """Bytes the owner may still store; refused once the number of files is used up."""
    files, used = await usage(session, owner_id)
    if files >= settings.material_quota_files:
        raise QuotaExceeded(f"最多保存 {settings.material_quota_files} 个材料")
    return settings.material_quota_bytes - used


def _bytes_quota_exceeded(settings: Settings) -> QuotaExceeded:
    return QuotaExceeded(f"材料总容量不能超过 {settings.material_quota_bytes // MIB} MB")


async def upload(
    session: AsyncSession,
    request: Request,
    storage: ObjectStorage,
    settings: Settings,
    owner_id: str,
    idempotency_key: str | None,
    kind: MaterialKind = MaterialKind.general,
) -> Upload:
    if kind == MaterialKind.identity_document:
        # Refused before a single byte is stored.
        await consents.require(session, owner_id, ConsentPurpose.identity_documents)
    room = await _room_left(session, settings, owner_id)
    key = f"{MATERIALS_PREFIX}{owner_id}/{new_id()}"
    after_rollback(session, lambda: storage.delete(key))
    # The client may take minutes to send the file: hold no connection or lock meanwhile.
    await release_before_waiting(session)
    try:
        received = await receive_file(
            request,
            storage,
            key,
            limit=min(settings.material_max_bytes, room),
            allowed=settings.material_types,
        )
    except UploadTooLarge:
        if room < settings.material_max_bytes:
            raise _bytes_quota_exceeded(settings) from None
        raise
    # Other uploads of the owner may have been recorded while this one streamed.
    if received.size > await _room_left(session, settings, owner_id):
        raise _bytes_quota_exceeded(settings)

    if idempotency_key:
        request_fingerprint = idempotency.fingerprint(received.name, received.sha256, kind)
        previous = await idempotency.previous_response(
            session, owner_id, idempotency_key, request_fingerprint
        )
        if previous is not None:
            await storage.delete(key)
            return Upload(previous.status_code, previous.body)

    material = Material(
        owner_id=owner_id,
        name=received.name,
        kind=kind,
        file_type=received.file_type.code,
        content_type=received.file_type.content_type,
        size=received.size,
        sha256=received.sha256,
        storage_key=key,
    )
    if received.file_type.is_image:
        material.thumbnail_key = await _store_thumbnail(session, storage, key, received.geometry)
    await repository.add(session, material)
    body = material_read(material).model_dump(mode="json")
    if idempotency_key:
        await idempotency.remember(session, owner_id, idempotency_key, request_fingerprint, 201, body)
    return Upload(201, body)


async def _store_thumbnail(
    session: AsyncSession, storage: ObjectStorage, key: str, geometry: images.Geometry
) -> str:
    thumbnail_key = f"{key}{THUMBNAIL_SUFFIX}"
    with tempfile.SpooledTemporaryFile(max_size=MIB) as spool:
        async for chunk in storage.read(key):
            await asyncio.to_thread(spool.write, chunk)
        spool.seek(0)
        async with images.decode_slot():
            data = await asyncio.to_thread(images.thumbnail, spool, geometry)
    after_rollback(session, lambda: storage.delete(thumbnail_key))
    await put_bytes(storage, thumbnail_key, data, "image/jpeg")
    return thumbnail_key


async def list_materials(
    session: AsyncSession, owner_id: str, *, cursor: str | None, limit: int
) -> tuple[list[MaterialRead], str | None]:
    rows = await repository.newest_materials(session, owner_id, cursor=cursor, limit=limit)
    rows, next_cursor = page_of(rows, limit, repository.NEWEST_FIRST)
    return [material_read(row) for row in rows], next_cursor


async def owned_material(session: AsyncSession, owner_id: str, material_id: str) -> Material:
    """The caller's material; anyone else's, or a removed one, does not exist."""
    material = await repository.material(session, material_id)
    if material is None or material.owner_id != owner_id or material.deleted_at is not None:
        raise MaterialNotFound()
    return material


async def remove(session: AsyncSession, storage: ObjectStorage, material: Material) -> None:
    """Gone from 我的材料 at once; the bytes stay while an application or correction relies on them."""
    await _remove(session, storage, material, in_use=bool(await repository.in_use(session, [material.id])))


async def remove_all(session: AsyncSession, storage: ObjectStorage, owner_id: str) -> None:
    """注销账号: every material of the owner is deleted, bytes included (after commit), except
    those an application or a correction keeps relying on."""
    owned = await repository.every_material(session, owner_id)
    in_use = await repository.in_use(session, [material.id for material in owned])
    for material in owned:
        await _remove(session, storage, material, in_use=material.id in in_use)


async def _remove(session: AsyncSession, storage: ObjectStorage, material: Material, *, in_use: bool) -> None:
    if in_use:
        material.deleted_at = material.deleted_at or utcnow()
        return
    keys = [k for k in (material.storage_key, material.thumbnail_key) if k]
    await repository.delete(session, material)
    for key in keys:
        after_commit(session, lambda key=key: storage.delete(key))


async def remove_unrecorded_files(
    session: AsyncSession, storage: ObjectStorage, older_than: timedelta
) -> int:
    """Delete stored files that no material names; how many there were.

    They are what a process left when it died between storing a file and recording it, or a
    deletion whose clean-up could not reach the store. Files younger than ``older_than`` may
    belong to an upload about to be recorded and are left alone."""
    removed = 0
    async for keys in storage.stored_keys(MATERIALS_PREFIX, utcnow() - older_than):
        # A thumbnail's key is its material's key plus a suffix: one lookup on the unique key.
        named = {key.removesuffix(THUMBNAIL_SUFFIX) for key in keys}
        recorded = await repository.recorded_keys(session, named)
        for key in keys:
            if key not in recorded:
                await storage.delete(key)
                removed += 1
    return removed


def content_disposition(name: str) -> str:
    """RFC 6266: an ASCII fallback plus the exact UTF-8 name in ``filename*``."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def stored_variant(material: Material, variant: str) -> tuple[str, str, str]:
    """(storage key, content type, file name) of the material or of its thumbnail."""
    if variant == "thumbnail":
        if material.thumbnail_key is None:
            raise MaterialNotFound("该材料没有缩略图")
        return material.thumbnail_key, "image/jpeg", f"缩略图-{material.name}.jpg"
    return material.storage_key, material.content_type, material.name
