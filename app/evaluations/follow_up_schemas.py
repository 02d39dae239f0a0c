"""回访整改 as staff see and record it."""

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from app.audit.deps import QueryDateTime
from app.core.schemas import AppModel, Coded, LocalDateTime, RequestModel, Text
from app.evaluations.state_machine import Channel

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), Text]
LongNote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), Text]


class FollowUpSummary(AppModel):
    """One entry of the list: enough to choose what to do first."""

    id: str
    version: int = Field(description="登记回访或整改结果时放入 `If-Match`")
    state: Coded = Field(description="pending 待回访、visited 待整改、closed 已完成")
    overdue: bool = Field(description="超期：期限已过仍未完成")
    due_on: date = Field(description="回访整改期限（评价后 FOLLOW_UP_WORKING_DAYS 个工作日）")
    working_days_left: int | None = Field(
        description="距期限还有几个工作日（负数为已超期的工作日数）；已完成为 null"
    )
    opened_at: LocalDateTime = Field(description="差评时间（任务生成时间）")
    application_id: str
    application_no: str | None
    item: Coded
    agency: Coded
    rating: Coded = Field(description="评价等级，code 为 1 或 2")
    comment: str | None = Field(description="评价内容")
    allowed_actions: list[str] = Field(description="可执行的操作：record_visit 登记回访、record_rectification 登记整改结果")


class FollowUpContact(AppModel):
    """Whom to call back: the application's contact, in full (the view is audited)."""

    name: str | None
    phone: str | None


class VisitRead(AppModel):
    contacted_at: LocalDateTime
    channel: Coded
    applicant_said: str
    finding: str
    recorded_by: str = Field(description="登记人")


class RectificationRead(AppModel):
    rectification: str
    applicant_satisfied: bool
    closed_at: LocalDateTime
    recorded_by: str = Field(description="登记人")


class FollowUpDetail(FollowUpSummary):
    tags: list[str]
    contact: FollowUpContact
    visit: VisitRead | None
    result: RectificationRead | None


class VisitCreate(RequestModel):
    contacted_at: QueryDateTime = Field(
        description="回访时间，带时区的 ISO 8601；不能早于评价时间，也不能晚于现在",
        examples=["2026-12-08T10:30:00+08:00"],
    )
    channel: Channel = Field(description="回访方式：phone 电话、sms 短信、in_person 当面、other 其他")
    applicant_said: Note = Field(description="申请人反映的情况")
    finding: Note = Field(description="核实结论")


class RectificationCreate(RequestModel):
    rectification: LongNote = Field(description="整改措施及结果（将向申请人展示）")
    applicant_satisfied: bool = Field(description="申请人对整改结果是否满意")
