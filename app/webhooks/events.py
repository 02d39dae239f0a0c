"""The event types a subscription may name, and how a subscription's names match an event.

The application types follow the statuses of ``app/applications/state_machine.py`` (an
application's transition is ``application.<status it reached>``); the certificate types are
those the registry's pushes publish. This package sits below both, so it lists them here;
``tests/webhooks/test_event_types.py`` keeps the lists and the state machine in agreement.
"""

from collections.abc import Iterable
from enum import StrEnum

APPLICATION_STATUSES = (
    "submitted",
    "accepted",
    "supplement_required",
    "approved",
    "declined",
    "rejected",
    "cancelled",
    "withdrawn",
)
EVENT_TYPES = (
    *(f"application.{status}" for status in APPLICATION_STATUSES),
    "certificate.issued",
    "certificate.updated",
    "certificate.status_changed",
)
WILDCARDS = ("*", "application.*", "certificate.*")
# The names as schema types, each a named schema of the contract (a generated client gets
# `EventType` and `EventSelector` enums): every name a request may use is listed there.
EventType = StrEnum("EventType", {name.replace(".", "_"): name for name in EVENT_TYPES})
EventSelector = StrEnum(
    "EventSelector",
    {name.replace(".*", "_all").replace("*", "all"): name for name in WILDCARDS}
    | {member.name: member.value for member in EventType},
)


def matches(names: Iterable[str], event_type: str) -> bool:
    """``event_type`` is one of ``names``, or under one of its wildcards."""
    family = event_type.split(".", 1)[0]
    return any(name in ("*", event_type, f"{family}.*") for name in names)
