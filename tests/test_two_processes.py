"""Two API server processes on one PostgreSQL: what must be shared is shared.

Lockout and rate-limit counters, revoked sessions and idempotency records live in the
database, so a request to either process sees what the other one did.
"""

import time

import httpx
import pytest

from tests.support.clock import seconds_to_wait
from tests.support.servers import start_api, stop


@pytest.fixture
def two_processes(database_factory, tmp_path):
    database_url = database_factory("postgresql")
    started = []
    try:
        # One after the other: the first start migrates and seeds, the second finds it done.
        for name in ("a", "b"):
            environment = {
                "DATABASE_URL": database_url,
                "DATA_DIR": str(tmp_path / name),
                "AUTH_REQUESTS_PER_MINUTE": "12",
            }
            started.append(start_api(environment))
        yield [httpx.Client(base_url=f"{base}/api/v1", timeout=30) for _, base in started]
    finally:
        for process, _ in started:
            stop(process)


def _login(client, password="Demo@12345"):
    return client.post("/auth/login/password", json={"username": "demo-corp", "password": password})


def test_lockout_logout_idempotency_and_rate_limits_hold_across_processes(two_processes):
    a, b = two_processes
    time.sleep(seconds_to_wait())  # the counting below must fall within one rate-limit minute

    tokens = _login(a).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert b.get("/me", headers=headers).status_code == 200
    assert b.post("/auth/logout", headers=headers).status_code == 204
    assert a.get("/me", headers=headers).status_code == 401

    corp = {
        "Authorization": f"Bearer {_login(b).json()['access_token']}",
        "Idempotency-Key": "two-process-0001",
    }
    first = a.post("/applications", json={"item_code": "WF-002"}, headers=corp)
    second = b.post("/applications", json={"item_code": "WF-002"}, headers=corp)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]

    for client in (a, b, a, b):
        assert _login(client, "Wrong#Pass1").status_code == 401
    assert _login(b, "Wrong#Pass1").json()["code"] == "auth.locked"
    assert _login(a).json()["code"] == "auth.locked"

    # 8 sign-in calls so far from this address; the limit is 12 a minute over both processes.
    assert [_login(client).status_code for client in (b, a, b, a)] == [423] * 4
    limited = _login(b)
    assert limited.status_code == 429 and limited.headers["Retry-After"]
