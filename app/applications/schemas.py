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
    FormObject,
    LocalDateTime,
    RequestModel,
    Text,
    Visible,
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


class Decision(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
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
