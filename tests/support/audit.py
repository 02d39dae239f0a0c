"""The audit trail as the audit administrator reads it, and events of a chosen age."""

from datetime import timedelta

from app.audit.models import AuditEvent
from app.core.db import utcnow
from tests.support.people import bearer, password_login


async def auditor(api) -> dict:
    return bearer(await password_login(api, "demo-auditor"))


async def trail(api, headers: dict, **filters) -> list[dict]:
    """Every event matching ``filters`` (GET /audit/events), newest first."""
    response = await api.get("/audit/events", params={"limit": 100, **filters}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def aged_event(days: float, event: str = "test.aged") -> AuditEvent:
    """An event that happened ``days`` ago (inserting is always allowed, whatever the time)."""
    return AuditEvent(event=event, outcome="success", occurred_at=utcnow() - timedelta(days=days))
