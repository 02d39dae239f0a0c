"""The 办件 lifecycle of the contract, as data.

Every change of status is one row of ``TRANSITIONS``: from which status, by which action,
taken by whom, to which status. Nothing else in the code decides what may happen next.
"""

from dataclasses import dataclass

from app.core.auth import Actor  # who acts, derived from the roles (app.core.auth.ACTOR_OF_ROLE)
from app.core.enums import LabelledEnum
from app.core.errors import AppError


class Status(LabelledEnum):
    draft = "draft", "待提交"
    submitted = "submitted", "待受理"
    accepted = "accepted", "已受理"
    approved = "approved", "已办结"
    declined = "declined", "不予许可"
    rejected = "rejected", "不予受理"
    supplement_required = "supplement_required", "待补正"
    cancelled = "cancelled", "已取消"
    withdrawn = "withdrawn", "已撤回"


class Action(LabelledEnum):
    submit = "submit", "提交"
    cancel = "cancel", "取消"
    withdraw = "withdraw", "撤回"
    accept = "accept", "受理"
    reject = "reject", "不予受理"
    request_supplement = "request_supplement", "要求补正"
    approve = "approve", "办结"
    decline = "decline", "不予许可"


@dataclass(frozen=True)
class Transition:
    source: Status
    action: Action
    actor: Actor
    target: Status


# Statuses an applicant may still change and submit (again).
EDITABLE = frozenset({Status.draft, Status.cancelled, Status.withdrawn, Status.supplement_required})
# Statuses with a decision: the applicant may rate the service (好差评).
FINISHED = frozenset({Status.approved, Status.declined, Status.rejected})

TRANSITIONS: tuple[Transition, ...] = (
    *(Transition(status, Action.submit, Actor.applicant, Status.submitted) for status in sorted(EDITABLE)),
    Transition(Status.submitted, Action.cancel, Actor.applicant, Status.cancelled),
    Transition(Status.submitted, Action.withdraw, Actor.applicant, Status.withdrawn),
    Transition(Status.submitted, Action.accept, Actor.staff, Status.accepted),
    Transition(Status.submitted, Action.reject, Actor.staff, Status.rejected),
    Transition(Status.submitted, Action.request_supplement, Actor.staff, Status.supplement_required),
    Transition(Status.accepted, Action.approve, Actor.staff, Status.approved),
    Transition(Status.accepted, Action.decline, Actor.staff, Status.declined),
)
_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}


class InvalidTransition(AppError):
    status = 409
    code = "application.invalid_transition"
    title = "当前状态下不能执行该操作"


def transition(current: Status, action: Action, actor: Actor, *, after_submit: str) -> Transition:
    """The transition ``action`` makes from ``current``, or InvalidTransition with the reason.

    ``after_submit`` is the item's choice between 取消 (cancel) and 撤回 (withdraw).
    """
    found = _BY_KEY.get((current, action))
    if found is None or found.actor != actor:
        raise InvalidTransition(f"办件当前为“{current.label}”，不能{action.label}")
    if action in (Action.cancel, Action.withdraw) and action != after_submit:
        raise InvalidTransition(f"该事项提交后只能{Action(after_submit).label}，不能{action.label}")
    return found


def available_actions(current: Status, actor: Actor, *, after_submit: str) -> list[Action]:
    return [
        t.action
        for t in TRANSITIONS
        if t.source == current
        and t.actor == actor
        and (t.action not in (Action.cancel, Action.withdraw) or t.action == after_submit)
    ]


def allowed_actions(
    current: Status,
    viewer: Actor,
    *,
    after_submit: str,
    numbered: bool,
    has_notices: bool,
    evaluated: bool,
) -> list[str]:
    """What ``viewer`` may do next with an application, for its detail and for every list entry.

    Besides the transitions: the applicant may edit an editable one, discard a draft never
    submitted (no number yet), open its notices and rate (好差评) a finished one once.
    """
    transitions = [action.value for action in available_actions(current, viewer, after_submit=after_submit)]
    if viewer is Actor.staff:
        return transitions
    actions = ["edit"] if current in EDITABLE else []
    actions += transitions
    if current is Status.draft and not numbered:
        actions.append("discard")
    if has_notices:
        actions.append("view_notice")
    if current in FINISHED and not evaluated:
        actions.append("evaluate")
    return actions
