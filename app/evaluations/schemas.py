from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.schemas import AppModel, Coded, LocalDateTime, RequestModel

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class EvaluationCreate(RequestModel):
    rating: int = Field(ge=1, le=5, description="5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意")
    tags: list[Tag] = Field(default_factory=list, max_length=10, examples=[["办理快捷", "服务热情"]])
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = Field(
        default=None, description="评价内容；不满意、非常不满意时必填"
    )


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
