from datetime import date

from pydantic import Field

from app.agencies.models import AgencyLevel
from app.core.schemas import AppModel, Coded


class AgencyRef(AppModel):
    code: str = Field(examples=["SH"])
    name: str = Field(examples=["上海海事局"])
    short_name: str = Field(examples=["上海"])
    level: AgencyLevel
    level_label: str = Field(examples=["直属海事局"])


class AgencyRead(AgencyRef):
    parent_code: str | None = Field(examples=["CN"])
    name_en: str | None = None
    region: str | None = None
    address: str | None = None
    phone: str | None = Field(default=None, description="政务中心或办公电话（已知时）")
    website: str | None = None
    office_hours: str | None = Field(
        default=None, description="办公时间（已知时）", examples=["工作日 8:30-12:00，13:30-17:00"]
    )
    closed_on: date | None = Field(
        default=None,
        description="撤销日期（北京时间）：自该日起不再受理新的申请、不再出现在机构树与选择中，"
        "仍可按代码查到；为 null 表示未撤销",
    )
    has_children: bool = Field(description="有（未撤销的）下级机构；在某事项的受理机构树中：有受理该事项的下级机构")
    handles_item: bool | None = Field(
        default=None,
        description="仅在某事项的受理机构树（`/catalog/items/{code}/agencies`）中给出：该机构是否受理该事项",
    )


class AgencyNode(AgencyRead):
    children: list["AgencyNode"] = Field(default_factory=list, description="下级机构")


class AgencyMatch(AgencyRead):
    ancestors: list[AgencyRef] = Field(description="自根机构至上级机构的路径（面包屑）")


class AgencyDetail(AgencyRead):
    sources: list[str] = Field(
        description="提及该机构的公开来源（网址或来源说明）；为空表示来自原始机构名录",
        examples=[["https://www.msa.gov.cn/"]],
    )
    confidence: Coded | None = Field(
        description="公开来源的可信度：`high` 官方页面、`medium` 百科/两处独立来源/主流媒体、"
        "`low` 单一非官方来源或按地域推定；为 null 表示来自原始机构名录"
    )
    ancestors: list[AgencyRef] = Field(description="自根机构至上级机构的路径（面包屑）")
    children: list[AgencyRead] = Field(description="直接下级机构（未撤销的）")
