from typing import Any, Literal

from pydantic import Field

from app.agencies.schemas import AgencyRef
from app.core.schemas import AppModel, Coded


class GuideMaterial(AppModel):
    name: str = Field(description="材料名称")
    required: bool = Field(description="是否必须提交")
    original_or_copy: str = Field(description="材料形式（原件/复印件）", examples=["原件"])
    medium: str = Field(description="材料类型（电子版/纸质版）", examples=["电子版或纸质版"])
    copies: int = Field(ge=0, description="份数")
    form: str | None = Field(description="样表或格式说明")
    notes: str = Field(description="注意事项")


class GuideStep(AppModel):
    step: str = Field(examples=["受理"])
    description: str


class ServiceGuide(AppModel):
    """办事指南: every element of the national service-item standard."""

    item_name: str = Field(description="事项名称")
    basic_code: str = Field(description="基本编码")
    item_type: str = Field(description="事项类型")
    sub_items: list[str] = Field(description="子项")
    industry: str = Field(description="行业名称/主管部门")
    exercise_level: str = Field(description="行使层级")
    implementing_agency: str = Field(description="实施机关")
    accepting_department: str = Field(description="受理部门")
    applicant: str = Field(description="服务对象")
    legal_basis: list[str] = Field(min_length=1, description="设定依据")
    acceptance_conditions: list[str] = Field(min_length=1, description="受理条件")
    materials: list[GuideMaterial] = Field(min_length=1, description="申请材料")
    process: list[GuideStep] = Field(min_length=1, description="办理流程")
    statutory_time_limit: str = Field(description="法定办结时限")
    promised_time_limit: str = Field(description="承诺办结时限")
    result: str = Field(description="办理结果")
    fee: str = Field(description="收费标准")
    location_and_hours: str = Field(description="办理地点、时间")
    consult_phone: str = Field(description="咨询电话")
    supervision_phone: str = Field(description="监督投诉电话")
    min_visits: int = Field(ge=0, description="到办事窗口的最少次数")
    online: str = Field(description="网上办理深度")
    responsible_office: str = Field(description="责任处（科）室")


class ServiceItemSummary(AppModel):
    code: str = Field(examples=["CY-001"])
    name: str = Field(examples=["船员注册（船员服务簿签发）"])
    aliases: list[str]
    business: Coded
    nature: Coded
    audience: list[Coded]
    online: bool = Field(description="可在小程序在线办理")


class LocalDetail(AppModel):
    value: str
    agency: AgencyRef = Field(description="给出该内容的机构：所选机构或其最近的上级机构")


class LocalDetails(AppModel):
    """What the guide's 受理地点/办理时间, 咨询电话 and 收费 were taken from for the chosen unit."""

    agency: AgencyRef = Field(description="所选受理机构")
    place: LocalDetail | None = Field(description="受理地点；为 null 时沿用指南原文")
    hours: LocalDetail | None = Field(description="办理时间；为 null 时沿用指南原文")
    phone: LocalDetail | None = Field(description="咨询电话；为 null 时沿用指南原文")
    fee: LocalDetail | None = Field(description="收费；为 null 时沿用指南原文")


class ServiceItemDetail(ServiceItemSummary):
    handling_levels: list[Coded] = Field(description="受理该事项的机构层级")
    source: str = Field(description="指南内容来源")
    guide: ServiceGuide = Field(
        description="办事指南；带 `agency` 查询时，受理地点/办理时间、咨询电话、收费为该机构（或其上级）公布的内容"
    )
    local_details: LocalDetails | None = Field(
        default=None, description="仅在带 `agency` 查询时给出：指南中按所选机构填入的内容及其出处"
    )


class FacetValue(Coded):
    count: int


class CatalogFacets(AppModel):
    audience: list[FacetValue] = Field(description="个人办事/法人办事")
    business: list[FacetValue] = Field(description="按业务")
    nature: list[FacetValue] = Field(description="按事项性质")
    online: FacetValue = Field(description="可在线办理")
    total: int


class StepDefinition(AppModel):
    key: str
    title: str = Field(examples=["填写基本信息"])
    kind: Literal["form", "materials", "agency"]
    fields: list[str] = Field(default_factory=list, description="本页填写的表单字段")
    slots: list[str] = Field(default_factory=list, description="本页上传的材料")


class MaterialSlot(AppModel):
    slot: str
    name: str
    required: bool
    identity_document: bool = Field(
        default=False,
        description="该材料含身份证明（身份证等）：上传前须单独同意，上传时传 `kind=identity_document`",
    )


class OnlineItem(AppModel):
    item_code: str = Field(examples=["TH-001"])
    name: str
    nature: Coded
    after_submit: Literal["cancel", "withdraw"] = Field(
        description="提交后可执行的操作：`cancel` 取消 或 `withdraw` 撤回"
    )
    steps: list[StepDefinition]
    material_slots: list[MaterialSlot]
    form_schema: dict[str, Any] = Field(description="表单的 JSON Schema（2020-12）")
    example: dict[str, Any] = Field(description="一份可通过校验的示例表单")
