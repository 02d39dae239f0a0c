"""回访整改's lifecycle, as data: 待回访 → (登记回访) → 待整改 → (登记整改结果) → 已完成.

Only staff act on it; nothing else in the code decides what may happen next.
"""

from app.core.enums import LabelledEnum
from app.core.errors import AppError


class FollowUpState(LabelledEnum):
    pending = "pending", "待回访"
    visited = "visited", "待整改"
    closed = "closed", "已完成"


class FollowUpAction(LabelledEnum):
    record_visit = "record_visit", "登记回访"
    record_rectification = "record_rectification", "登记整改结果"


class Channel(LabelledEnum):
    """How the applicant was reached for the 回访."""

    phone = "phone", "电话"
    sms = "sms", "短信"
    in_person = "in_person", "当面"
    other = "other", "其他"


TRANSITIONS: dict[tuple[FollowUpState, FollowUpAction], FollowUpState] = {
    (FollowUpState.pending, FollowUpAction.record_visit): FollowUpState.visited,
    (FollowUpState.visited, FollowUpAction.record_rectification): FollowUpState.closed,
}


class FollowUpInvalidTransition(AppError):
    status = 409
    code = "follow_up.invalid_transition"
    title = "当前状态下不能执行该操作"


def transition(current: FollowUpState, action: FollowUpAction) -> FollowUpState:
    """The state ``action`` leads to from ``current``, or the refusal saying why."""
    target = TRANSITIONS.get((current, action))
    if target is None:
        if current is FollowUpState.closed:
            raise FollowUpInvalidTransition(f"回访整改已完成，不能再{action.label}")
        if action is FollowUpAction.record_rectification:
            raise FollowUpInvalidTransition("请先登记回访情况，再登记整改结果")
        raise FollowUpInvalidTransition(f"回访整改当前为“{current.label}”，不能{action.label}")
    return target


def allowed_actions(current: FollowUpState) -> list[str]:
    return [action.value for (source, action) in TRANSITIONS if source is current]
