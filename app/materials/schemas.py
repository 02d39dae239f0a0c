from pydantic import Field

from app.core.schemas import AppModel, LocalDateTime


class MaterialRead(AppModel):
    id: str
    name: str = Field(examples=["营业执照.pdf"])
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
