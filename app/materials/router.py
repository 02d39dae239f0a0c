"""我的材料 (manual §3.3.5): upload (上传图片 / 上传文件), list, view and delete."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse, StreamingResponse

from app.auth.deps import Applicant
from app.core.auth import ROLE_ERRORS
from app.core.config import MATERIAL_MAX_BYTES_CEILING
from app.core.db import SessionDep
from app.core.deps import SettingsDep
from app.core.errors import STORAGE_UNAVAILABLE, error_responses
from app.core.idempotency import IdempotencyInProgress, IdempotencyKey, IdempotencyKeyReused
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import Page
from app.integrations.deps import AdaptersDep
from app.materials import service
from app.materials.deps import OwnedMaterial
from app.materials.file_types import UnsupportedFileType
from app.materials.images import BrokenImage, ImageTooLarge
from app.materials.responses import CONTENT_RESPONSES
from app.materials.responses import material_content as material_content_response
from app.materials.schemas import MaterialKind, MaterialQuota, MaterialRead
from app.materials.upload import (
    BODY_OVERHEAD,
    MalformedUpload,
    NotMultipart,
    TooManyParts,
    UploadAborted,
    UploadTooLarge,
)
from app.privacy.consents import ConsentRequired

router = APIRouter(prefix="/me/materials", tags=["materials"])

# What app.materials.upload.display_name refuses in a name once its whitespace is collapsed to
# single spaces: path symbols, "..", control and invisible characters (whitespace among them,
# line separators too, become spaces).
_REFUSED_IN_NAME = (
    r"\x00-\x08\x0e-\x1b\x7f/\\\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
)
MATERIAL_NAME_PATTERN = rf"^[^{_REFUSED_IN_NAME}.]*(?:\.[^{_REFUSED_IN_NAME}.]+)*\.?$"

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "additionalProperties": False,
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "文件（wx.uploadFile 的 name 为 file）",
                        },
                        "name": {
                            "type": "string",
                            "maxLength": 100,
                            "pattern": MATERIAL_NAME_PATTERN,
                            "description": "材料名称（可选，默认取文件名）",
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "",
    summary="上传材料（图片或文件）",
    description="以 multipart/form-data 上传，字段 `file` 为文件、`name` 为可选的材料名称。"
    "文件类型以内容判定：JPG、PNG、PDF、OFD、DOC/DOCX、XLS/XLSX；"
    "图片会去除拍摄位置等元数据（只保留显示所需的方向与色彩配置）并生成缩略图；"
    "解码所需内存超出上限的图片（像素过多）返回 413 `material.image_too_large`。"
    "上传身份证等身份证明材料时传 `kind=identity_document`，须先单独同意"
    "《身份证明材料个人信息处理规则》（`POST /me/consents`），否则返回 403 `consent.required`。",
    status_code=status.HTTP_201_CREATED,
    response_model=MaterialRead,
    openapi_extra=UPLOAD_BODY,
    # Above the app's JSON body limit; the configured material_max_bytes is enforced while streaming.
    max_body_size=MATERIAL_MAX_BYTES_CEILING + BODY_OVERHEAD,
    responses=error_responses(
        *ROLE_ERRORS,
        NotMultipart,
        UnsupportedFileType,
        BrokenImage,
        ImageTooLarge,
        UploadTooLarge,
        TooManyParts,
        service.QuotaExceeded,
        ConsentRequired,
        MalformedUpload,
        UploadAborted,
        IdempotencyKeyReused,
        IdempotencyInProgress,
        *STORAGE_UNAVAILABLE,
    ),
)
async def upload_material(
    request: Request,
    principal: Applicant,
    session: SessionDep,
    settings: SettingsDep,
    adapters: AdaptersDep,
    idempotency_key: IdempotencyKey = None,
    kind: Annotated[
        MaterialKind, Query(description="`identity_document`：身份证、护照等身份证明材料（需单独同意）")
    ] = MaterialKind.general,
) -> JSONResponse:
    result = await service.upload(
        session, request, adapters.storage, settings, principal.user_id, idempotency_key, kind
    )
    return JSONResponse(result.material, status_code=result.status_code)


@router.get(
    "",
    summary="我的材料（最新在前）",
    response_model=Page[MaterialRead],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_my_materials(
    principal: Applicant, session: SessionDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[MaterialRead]:
    items, next_cursor = await service.list_materials(session, principal.user_id, cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/quota",
    summary="材料数量与容量使用情况",
    response_model=MaterialQuota,
    responses=error_responses(*ROLE_ERRORS, validation=False),
)
async def get_material_quota(principal: Applicant, session: SessionDep, settings: SettingsDep) -> MaterialQuota:
    files, used = await service.usage(session, principal.user_id)
    return MaterialQuota(
        files=files,
        bytes=used,
        max_files=settings.material_quota_files,
        max_bytes=settings.material_quota_bytes,
    )


@router.get(
    "/{material_id}/content",
    summary="查看材料",
    description="返回文件内容（`variant=thumbnail` 时返回图片缩略图）；"
    "使用对象存储且开启签名链接时重定向到短时有效的下载地址。",
    response_class=StreamingResponse,
    responses={
        **CONTENT_RESPONSES,
        **error_responses(*ROLE_ERRORS, service.MaterialNotFound, *STORAGE_UNAVAILABLE),
    },
)
async def get_material_content(
    material: OwnedMaterial,
    adapters: AdaptersDep,
    variant: Annotated[Literal["original", "thumbnail"], Query(description="原文件或缩略图")] = "original",
) -> Response:
    return await material_content_response(adapters.storage, material, variant)


@router.delete(
    "/{material_id}",
    summary="删除材料",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*ROLE_ERRORS, service.MaterialNotFound),
)
async def delete_material(material: OwnedMaterial, session: SessionDep, adapters: AdaptersDep) -> Response:
    await service.remove(session, adapters.storage, material)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
