from datetime import date
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


Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Text]


class SupplementItem(RequestModel):
    """One thing the applicant must 补正: a material slot or a form field of the application's
    item (its ``material_slots`` / ``form_schema``), and why."""

    target: Literal["material", "field"] = Field(description="material：材料项；field：表单字段")
    key: SlotKey = Field(
        description="材料项的 `slot`，或表单字段名（事项 `form_schema` 的顶层属性）",
        examples=["technical_documents"],
    )
    reason: Reason = Field(description="需补正的原因和要求", examples=["图纸未加盖设计单位公章，请重新上传"])


# The actions that take no 补正 items.
_NOT_SUPPLEMENT = ["accept", "reject", "approve", "decline"]


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
                    {
                        "anyOf": [
                            {"required": ["supplement_items"]},
                            {
                                "required": ["missing_materials"],
                                "properties": {"missing_materials": {"minItems": 1}},
                            },
                        ]
                    },
                ),
                required_when("action", _NOT_SUPPLEMENT, {"not": {"required": ["supplement_items"]}}),
            ]
        }
    )

    action: Literal["accept", "reject", "request_supplement", "approve", "decline"]
    comment: Comment = Field(default="", description="意见或理由；不予受理、要求补正、不予许可时必填")
    supplement_items: list[SupplementItem] = Field(
        default_factory=list,
        min_length=1,
        max_length=30,
        description="要求补正时（仅限要求补正），一次性逐项告知需补正的材料项和表单字段，各附原因；"
        "同一材料项或字段只能列出一次",
    )
    missing_materials: list[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), Visible]
    ] = Field(
        default_factory=list,
        max_length=30,
        json_schema_extra={"deprecated": True},  # read by the service: no access warning
        description="已废弃，请改用 `supplement_items`。每项须为事项的材料项（`slot` 或材料名称），"
        "按材料项补正处理，原因取 `comment`",
    )
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


class DeadlineState(AppModel):
    """The deadline's state with its zh-CN label."""

    code: Literal["on_track", "due_soon", "overdue", "paused", "met", "missed"] = Field(
        description="on_track 未到期；due_soon 即将到期（剩余工作日不超过预警天数）；overdue 已超期；"
        "paused 补正中暂停计时；met 按期办结；missed 超期办结"
    )
    label: str = Field(examples=["即将到期"])


class Deadline(AppModel):
    """承诺办结时限: counted in mainland working days from submission, 补正 time not counted."""

    due_on: date | None = Field(
        description="承诺办结日期（北京时间）；补正中暂停计时时为 null", examples=["2026-12-21"]
    )
    working_days_left: int = Field(
        description="距承诺办结日期的剩余工作日：0 为今日到期，负数为已超期的工作日数；"
        "补正中为暂停时剩余的工作日；已办结的为办结日距承诺日期的工作日"
    )
    state: DeadlineState
    provisional: bool = Field(
        description="承诺办结日期所在年份的节假日安排尚未公布，暂按周一至周五计算"
    )


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
    deadline: Deadline | None = Field(
        default=None,
        description="承诺办结时限（仅受理人员查看时提供；未提交、已取消/撤回或无办结时限的事项为 null）",
    )


class SupplementItemRead(AppModel):
    target: Literal["material", "field"]
    key: str | None = Field(description="材料项或表单字段名；旧通知书中无法对应材料项的材料为 null")
    label: str = Field(description="材料项或字段的名称")
    reason: str


class SupplementRequest(AppModel):
    """The open 补正 request (the latest 补正材料通知书) of an application that is 待补正."""

    notice_id: str
    number: str = Field(description="补正材料通知书文号")
    issued_at: LocalDateTime
    comment: str | None = Field(description="补正说明")
    items: list[SupplementItemRead]


class ApplicationRead(ApplicationSummary):
    form: dict[str, Any]
    materials: list[SlotMaterial]
    contact_name: str | None
    contact_phone: str | None = Field(description="联系人手机号码（申请人查看时已脱敏）")
    timeline: list[TimelineEntry]
    notices: list[NoticeSummary]
    supplement_request: SupplementRequest | None = Field(
        default=None, description="待补正时，需补正的各项及原因（逐项列出）；其他状态为 null"
    )


class ApplicantIdentity(AppModel):
    """Who applied, as the account holds it, in full: shown to staff only, every view audited."""

    account_type: Coded = Field(
        description="账号类型：`personal` 个人用户、`company` 法人用户、`ship` 船舶用户",
        examples=[{"code": "company", "label": "法人用户"}],
    )
    name: str | None = Field(description="个人用户的姓名（法人、船舶用户为 null）", examples=["张三"])
    id_number: str | None = Field(
        description="个人用户的身份证号码（完整，法人、船舶用户为 null）", examples=["11010519491231002X"]
    )
    company_name: str | None = Field(description="单位名称（个人用户为 null）", examples=["上海海港示例航运有限公司"])
    credit_code: str | None = Field(description="统一社会信用代码（个人用户为 null）", examples=["91310115MA1K3Y8Q5Q"])
    operator_name: str | None = Field(description="经办人姓名（个人用户为 null）", examples=["王海明"])
    operator_id_number: str | None = Field(
        description="经办人身份证号码（完整，供与授权委托书、经办人身份证明核对；个人用户为 null）",
        examples=["310115198503122018"],
    )


class StaffApplicationRead(ApplicationRead):
    applicant: ApplicantIdentity | None = Field(
        description="申请人身份（完整，仅受理人员可见，查看行为留痕）；申请人已注销账号时为 null"
    )


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
