from datetime import date
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from app.core.schemas import NON_BLANK, AppModel, Coded, LocalDateTime, RequestModel, Text, required_when

RATINGS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20), Text]


class EvaluationCreate(RequestModel):
    # 不满意、非常不满意 say why (app.evaluations.service.BAD).
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                required_when("rating", [1, 2], {"required": ["comment"], "properties": {"comment": NON_BLANK}})
            ]
        }
    )

    rating: int = Field(ge=1, le=5, description="5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意")
    tags: list[Tag] = Field(default_factory=list, max_length=10, examples=[["办理快捷", "服务热情"]])
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Text] | None = Field(
        default=None, description="评价内容；不满意、非常不满意时必填"
    )


class FollowUpOutcome(AppModel):
    """What the applicant sees of the 回访整改 of a bad rating: where it stands and, once done,
    what the agency changed. The 回访 notes (what staff wrote down of the call, their finding)
    and who handled it are the agency's working record, not an answer to the applicant."""

    state: Coded = Field(description="pending 待回访、visited 待整改、closed 已完成")
    due_on: date = Field(description="回访整改期限（工作日计）")
    rectification: str | None = Field(description="整改结果；完成后才有")
    closed_at: LocalDateTime | None = Field(description="完成时间")


class EvaluationRead(AppModel):
    id: str
    application_id: str
    application_no: str | None
    item: Coded
    agency: Coded
    rating: Coded = Field(description="评价等级，code 为 1–5")
    is_bad: bool = Field(description="差评（不满意、非常不满意）")
    tags: list[str]
    comment: str | None
    created_at: LocalDateTime
    follow_up: FollowUpOutcome | None = Field(
        default=None, description="差评的回访整改：进展，完成后的整改结果；其他评价为 null"
    )

