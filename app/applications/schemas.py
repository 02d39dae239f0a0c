from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints

from app.accounts.schemas import PersonName
from app.agencies.schemas import AgencyRef
from app.core.identifiers import MobilePhone
from app.core.schemas import (
    CODE_PATTERN,
    ID_PATTERN,
    AppModel,
    Coded,
    NON_BLANK,
    NOT_NULL,
    FormObject,
    LocalDateTime,
    RequestModel,
    Text,
    Visible,
    WrittenDate,
    required_when,
)
from app.materials.schemas import MaterialRead

SlotKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,47}$")]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), Text]


class AttachedMaterial(RequestModel):
    slot: SlotKey = Field(examples=["report_materials"])
    material_id: Annotated[str, StringConstraints(pattern=ID_PATTERN)]


class ApplicationDraft(RequestModel):
    """保存: everything may still be incomplete; it is checked in full at 提交."""

    agency_code: Annotated[str, StringConstraints(pattern=CODE_PATTERN)] | None = Field(
        default=None, description="受理机构代码", examples=["SH"]
    )
    form: FormObject = Field(default_factory=dict, description="按事项 `form_schema` 填写的表单")
    materials: list[AttachedMaterial] = Field(default_factory=list, max_length=60)
    contact_name: PersonName | None = None
    contact_phone: MobilePhone | None = None


class ApplicationCreate(ApplicationDraft):
    item_code: Annotated[str, StringConstraints(pattern=CODE_PATTERN)] = Field(examples=["WF-002"])


# 备案编号 as the agency writes it: Chinese, capitals, digits, hyphens, 〔〕 (沪海污备〔2026〕0017).
FILING_NUMBER_PATTERN = r"^[0-9A-Z\u4e00-\u9fff〔〕][0-9A-Z\u4e00-\u9fff〔〕-]{3,31}$"
FilingNumber = Annotated[str, StringConstraints(pattern=FILING_NUMBER_PATTERN)]
LegalBasisEntry = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Text]
# Every action but the one a content belongs to: there, the content is absent (or null).
_NOT_APPROVE = ["accept", "reject", "request_supplement", "decline"]
_NOT_DECLINE = ["accept", "reject", "request_supplement", "approve"]
_ABSENT: dict[str, Any] = {"type": "null"}


class LicenceContent(RequestModel):
    """准予行政许可决定书的内容（许可类事项）。"""

    matter: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), Text] = Field(
        description="许可事项", examples=["准予在吴淞口锚地以北水域划定安全作业区，用于码头前沿疏浚作业"]
    )
    valid_from: WrittenDate = Field(
        description="有效期起（北京时间日期）：不早于今天之前 30 天，不晚于今天之后一年", examples=["2026-12-07"]
    )
    valid_until: WrittenDate = Field(
        description="有效期止（含当日）：不早于有效期起和今天，有效期不超过 30 年", examples=["2027-12-06"]
    )
    conditions: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), Text] | None = Field(
        default=None, description="附加条件（可不填）"
    )


class DenialContent(RequestModel):
    """不予许可决定书的内容；理由即 `comment`，救济途径由系统按受理机构生成。"""

    legal_basis: list[LegalBasisEntry] = Field(
        min_length=1, max_length=10, description="法律依据，1–10 条，每条不超过 200 个字符",
        examples=[["《中华人民共和国海上交通安全法》（2021年修订）"]],
    )


class Decision(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                required_when("action", ["decline"], {"required": ["denial"], "properties": {"denial": NOT_NULL}}),
                required_when(
                    "action", _NOT_APPROVE, {"properties": {"licence": _ABSENT, "filing_number": _ABSENT}}
                ),
                required_when("action", _NOT_DECLINE, {"properties": {"denial": _ABSENT}}),
                required_when(
                    "action",
                    ["reject", "request_supplement", "decline"],
                    {"required": ["comment"], "properties": {"comment": NON_BLANK}},
                ),
                required_when(
                    "action",
                    ["request_supplement"],
                    {"required": ["missing_materials"], "properties": {"missing_materials": {"minItems": 1}}},
                ),
            ]
        }
    )

    action: Literal["accept", "reject", "request_supplement", "approve", "decline"]
    comment: Comment = Field(default="", description="意见或理由；不予受理、要求补正、不予许可时必填")
    missing_materials: list[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), Visible]
    ] = Field(default_factory=list, max_length=30, description="要求补正时，一次性告知需补正的全部材料")
    licence: LicenceContent | None = Field(
        default=None, description="准予许可类事项（事项性质 licensing）时必填；其他事项或其他决定不填"
    )
    filing_number: FilingNumber | None = Field(
        default=None,
        description="备案编号：准予备案类事项（事项性质 filing）时必填，不得与已出具的备案编号重复；"
        "4–32 个字符，由汉字、大写字母、数字、连字符和〔〕组成",
        examples=["沪海污备〔2026〕0017"],
    )
    denial: DenialContent | None = Field(default=None, description="不予许可时必填：法律依据")


class TimelineEntry(AppModel):
    occurred_at: LocalDateTime
    action: Coded
    status: Coded = Field(description="操作后的状态")
    actor: str = Field(description="申请人 / 受理机构")
    comment: str | None


class NoticeSummary(AppModel):
    id: str
    kind: Coded
    number: str
    issued_at: LocalDateTime


class NoticeRead(NoticeSummary):
    content: dict[str, Any]


class SlotMaterial(AppModel):
    slot: str
    slot_name: str
    material: MaterialRead


class ApplicationSummary(AppModel):
    id: str
    number: str | None = Field(description="申请编号（首次提交时生成）", examples=["HS20261127042817"])
    item: Coded
    agency: AgencyRef | None
    status: Coded
    created_at: LocalDateTime
    updated_at: LocalDateTime
    submitted_at: LocalDateTime | None
    version: int = Field(description="修改或变更状态时放入 `If-Match`")
    after_submit: Literal["cancel", "withdraw"] = Field(
        description="该事项提交后可取消（cancel）还是撤回（withdraw）"
    )
    allowed_actions: list[str] = Field(
        description="当前可执行的操作：edit、submit、discard、cancel、withdraw、view_notice、evaluate，"
        "受理人员为 accept、reject、request_supplement、approve、decline"
    )
    evaluated: bool = Field(description="申请人是否已评价（好差评）")


class ApplicationRead(ApplicationSummary):
    form: dict[str, Any]
    materials: list[SlotMaterial]
    contact_name: str | None
    contact_phone: str | None = Field(description="联系人手机号码（申请人查看时已脱敏）")
    timeline: list[TimelineEntry]
    notices: list[NoticeSummary]


class PublicProgressQuery(RequestModel):
    application_no: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^HS[0-9]{14}$"), Text
    ]
    phone: MobilePhone


class PublicProgress(AppModel):
    """办件查询: what anyone holding the number and phone may see — nothing personal."""

    application_no: str
    item: Coded
    agency: str | None
    status: Coded
    submitted_at: LocalDateTime | None
    timeline: list[TimelineEntry]
