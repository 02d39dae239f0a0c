from enum import StrEnum

from pydantic import Field

from app.core.schemas import AppModel, LocalDateTime


class MaterialKind(StrEnum):
    general = "general"
    # 身份证、护照等: sensitive personal information, uploaded only with a separate consent.
    identity_document = "identity_document"


class MaterialRead(AppModel):
    id: str
    name: str = Field(examples=["营业执照.pdf"])
    kind: MaterialKind = Field(description="`general` 一般材料 / `identity_document` 身份证明材料")
    file_type: str = Field(description="jpeg、png、pdf、ofd、doc、docx、xls 或 xlsx", examples=["pdf"])
    content_type: str = Field(examples=["application/pdf"])
    size: int = Field(description="字节数")
    sha256: str
    is_image: bool
    has_thumbnail: bool = Field(description="可通过 `content?variant=thumbnail` 获取缩略图")
    created_at: LocalDateTime


class MaterialQuota(AppModel):
    files: int
    bytes: int
    max_files: int
    max_bytes: int
