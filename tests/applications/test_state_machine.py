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


# The lifecycle of the contract (api-contract.md, 办件 states), written out here on its own so
# that the table in app/applications/state_machine.py is checked against it, not against itself.
A, S = Actor.applicant, Actor.staff
CONTRACT_TRANSITIONS = {
    (Status.draft, Action.submit, A, Status.submitted),
    (Status.cancelled, Action.submit, A, Status.submitted),
    (Status.withdrawn, Action.submit, A, Status.submitted),
    (Status.supplement_required, Action.submit, A, Status.submitted),
    (Status.submitted, Action.cancel, A, Status.cancelled),
    (Status.submitted, Action.withdraw, A, Status.withdrawn),
    (Status.submitted, Action.accept, S, Status.accepted),
    (Status.submitted, Action.reject, S, Status.rejected),
    (Status.submitted, Action.request_supplement, S, Status.supplement_required),
    (Status.accepted, Action.approve, S, Status.approved),
    (Status.accepted, Action.decline, S, Status.declined),
}


def test_the_table_is_the_lifecycle_of_the_contract():
    assert {(t.source, t.action, t.actor, t.target) for t in TRANSITIONS} == CONTRACT_TRANSITIONS
    assert len(TRANSITIONS) == len(CONTRACT_TRANSITIONS)  # and no row twice


def test_every_status_but_the_decided_ones_has_a_way_on():
    assert {Status.approved, Status.declined, Status.rejected} == FINISHED
    assert set(Status) - {t.source for t in TRANSITIONS} == {Status.approved, Status.declined, Status.rejected}


def test_editable_statuses_are_exactly_those_the_contract_lets_the_applicant_submit_again():
    submittable = {Status.draft, Status.cancelled, Status.withdrawn, Status.supplement_required}
    assert submittable == EDITABLE
    for status in submittable:
        assert (
            transition(status, Action.submit, Actor.applicant, after_submit="cancel").target
            is Status.submitted
        )
    for status in set(Status) - submittable:
        with pytest.raises(InvalidTransition):
            transition(status, Action.submit, Actor.applicant, after_submit="cancel")


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
