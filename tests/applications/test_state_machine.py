"""The lifecycle table itself, without a database."""

import pytest

from app.applications.state_machine import (
    EDITABLE,
    FINISHED,
    TRANSITIONS,
    Action,
    Actor,
    InvalidTransition,
    Status,
    available_actions,
    transition,
)


def test_every_status_but_the_decided_ones_has_a_way_on():
    assert {t.source for t in TRANSITIONS} == set(Status) - FINISHED


def test_editable_statuses_are_exactly_those_the_contract_lets_the_applicant_submit_again():
    assert {Status.draft, Status.cancelled, Status.withdrawn, Status.supplement_required} == EDITABLE
    for status in EDITABLE:
        assert (
            transition(status, Action.submit, Actor.applicant, after_submit="cancel").target
            is Status.submitted
        )


@pytest.mark.parametrize(
    ("source", "action", "actor", "target"),
    [
        (Status.submitted, Action.accept, Actor.staff, Status.accepted),
        (Status.submitted, Action.reject, Actor.staff, Status.rejected),
        (Status.submitted, Action.request_supplement, Actor.staff, Status.supplement_required),
        (Status.accepted, Action.approve, Actor.staff, Status.approved),
        (Status.accepted, Action.decline, Actor.staff, Status.declined),
    ],
)
def test_staff_decisions(source, action, actor, target):
    assert transition(source, action, actor, after_submit="cancel").target is target


def test_the_applicant_cannot_take_a_staff_decision_nor_staff_an_applicant_action():
    with pytest.raises(InvalidTransition):
        transition(Status.submitted, Action.accept, Actor.applicant, after_submit="cancel")
    with pytest.raises(InvalidTransition):
        transition(Status.submitted, Action.cancel, Actor.staff, after_submit="cancel")


def test_the_item_decides_between_cancel_and_withdraw():
    assert available_actions(Status.submitted, Actor.applicant, after_submit="cancel") == [Action.cancel]
    assert available_actions(Status.submitted, Actor.applicant, after_submit="withdraw") == [Action.withdraw]
    with pytest.raises(InvalidTransition, match="只能撤回"):
        transition(Status.submitted, Action.cancel, Actor.applicant, after_submit="withdraw")


def test_nothing_happens_after_a_decision():
    for status in FINISHED:
        for actor in Actor:
            assert available_actions(status, actor, after_submit="cancel") == []
