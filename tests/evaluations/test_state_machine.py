"""回访整改's lifecycle as data: 待回访 → 登记回访 → 待整改 → 登记整改结果 → 已完成, nothing else."""

import pytest

from app.evaluations.state_machine import (
    FollowUpAction,
    FollowUpInvalidTransition,
    FollowUpState,
    allowed_actions,
    transition,
)


def test_a_task_is_called_back_then_put_right_and_then_done():
    assert transition(FollowUpState.pending, FollowUpAction.record_visit) is FollowUpState.visited
    assert transition(FollowUpState.visited, FollowUpAction.record_rectification) is FollowUpState.closed
    assert [allowed_actions(state) for state in FollowUpState] == [["record_visit"], ["record_rectification"], []]


@pytest.mark.parametrize(
    ("state", "action", "reason"),
    [
        (FollowUpState.pending, FollowUpAction.record_rectification, "请先登记回访情况，再登记整改结果"),
        (FollowUpState.visited, FollowUpAction.record_visit, "回访整改当前为“待整改”，不能登记回访"),
        (FollowUpState.closed, FollowUpAction.record_visit, "回访整改已完成，不能再登记回访"),
        (FollowUpState.closed, FollowUpAction.record_rectification, "回访整改已完成，不能再登记整改结果"),
    ],
)
def test_anything_else_is_refused_with_the_reason(state, action, reason):
    with pytest.raises(FollowUpInvalidTransition) as refused:
        transition(state, action)

    assert refused.value.detail == reason
    assert refused.value.code == "follow_up.invalid_transition"
