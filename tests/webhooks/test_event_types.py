"""The event types a subscription may name are the ones the service publishes."""

from app.applications.state_machine import Status
from app.webhooks import events


def test_every_status_an_application_can_reach_is_an_event_type():
    reachable = {status.value for status in Status} - {Status.draft.value}

    assert set(events.APPLICATION_STATUSES) == reachable


def test_wildcards_match_their_family_only():
    assert events.matches(["application.*"], "application.approved")
    assert not events.matches(["application.*"], "certificate.issued")
    assert events.matches(["*"], "certificate.issued")
    assert not events.matches(["application.approved"], "application.declined")
