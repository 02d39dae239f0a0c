"""The draft, its diff and the versions of the dataset, as the system administrator sees them;
and an application's guide as the version it was submitted under held it."""

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from app.audit.deps import QueryDateTime

from app.catalog.schemas import ServiceGuide
from app.core.schemas import AppModel, LocalDateTime, RequestModel, Visible

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Visible]


class DatasetFileName(StrEnum):
    """The files a system administrator edits (the file name without ``.json``)."""

    agencies = "agencies"
    items = "items"
    online_items = "online_items"
    fuel_suppliers = "fuel_suppliers"
    ports = "ports"
    regulation_items = "regulation_items"
    countries = "countries"


class ChangeCount(AppModel):
    added: int = Field(description="新增的条目数")
    removed: int = Field(description="删除的条目数")
    changed: int = Field(description="修改的条目数")


class DraftRead(AppModel):
    base_version: int = Field(description="草稿所基于的版本号（未修改时即当前版本）")
    current_version: int = Field(description="当前已发布的版本号")
    updated_at: LocalDateTime | None = Field(description="草稿最近修改时间；未修改过为 null")
    updated_by: str | None = Field(description="草稿最近修改人")
    changes: ChangeCount = Field(description="草稿相对当前版本的改动")


class DraftFile(AppModel):
    file: DatasetFileName
    label: str = Field(description="文件的中文名称", examples=["海事机构"])
    key: str = Field(description="条目的键字段", examples=["code"])
    records: list[dict[str, Any]] = Field(description="草稿中该文件的全部条目（文件格式，按文件顺序）")


class RecordEntry(AppModel):
    key: str = Field(description="条目的键", examples=["SH-PD-WGQ"])
    title: str = Field(description="条目名称", examples=["外高桥海事处"])
    record: dict[str, Any] = Field(description="条目（文件格式）")


class FieldChange(AppModel):
    field: str = Field(examples=["phone"])
    before: Any = Field(description="修改前的值；原无此字段为 null")
    after: Any = Field(description="修改后的值；已删去为 null")


class RecordChange(AppModel):
    key: str = Field(examples=["TH-001"])
    title: str = Field(examples=["沿海水域划定禁航区和安全作业区审批"])
    fields: list[FieldChange]


class FileDiff(AppModel):
    file: str = Field(description="文件名（不含 .json）", examples=["agencies"])
    label: str = Field(examples=["海事机构"])
    added: list[RecordEntry]
    removed: list[RecordEntry]
    changed: list[RecordChange]


class Diff(AppModel):
    from_version: int | None = Field(description="比较的基准版本；版本 1 之前为 null")
    to_version: int | None = Field(description="比较的版本；草稿为 null")
    files: list[FileDiff] = Field(description="有改动的文件")


class PublishRequest(RequestModel):
    note: Note = Field(
        description="发布说明（1–200 字）",
        examples=["新增外高桥海事处"],
    )
    effective_at: QueryDateTime | None = Field(
        default=None,
        description="生效时间（带时区）；不填或已过去则立即发布，将来的时间则到时由系统自动发布",
        examples=["2026-12-08T08:00:00+08:00"],
    )


class VersionRead(AppModel):
    number: int = Field(description="版本号", examples=[2])
    state: str = Field(description="published 已发布、scheduled 待生效、cancelled 已取消", examples=["published"])
    state_label: str = Field(examples=["已发布"])
    note: str = Field(examples=["新增外高桥海事处"])
    effective_at: LocalDateTime | None = Field(description="预定生效时间")
    published_at: LocalDateTime | None = Field(description="实际发布时间")
    published_by: str = Field(description="发布人（账号）、或初始数据加载、数据导入")
    changes: ChangeCount = Field(description="相对所基于版本的改动")


class GuideAgency(AppModel):
    code: str = Field(examples=["SH-PD"])
    name: str = Field(examples=["上海浦东海事局"])
    address: str | None = None
    phone: str | None = None


class ApplicationGuide(AppModel):
    """办事指南 as it stood when the application was submitted."""

    version: int = Field(description="申请提交时的数据版本号（未提交的申请为当前版本）")
    item_code: str = Field(examples=["TH-001"])
    item_name: str
    agency: GuideAgency | None = Field(description="受理机构，按该版本的记录")
    guide: ServiceGuide

