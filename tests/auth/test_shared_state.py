"""Two API workers on one database: lockouts, rate limits and revocations hold across both.

Unlike the rest of the suite these tests commit for real, on a database of their own.
"""

from datetime import timedelta

import pytest
from jose import jwt

from tests.support.clock import fresh_rate_window
from tests.support.people import password_login, second_factor_login


@pytest.fixture
async def workers(two_workers):
    apps, clients = two_workers
    for app in apps:
        app.state.settings = app.state.settings.model_copy(update={"auth_requests_per_minute": 1000})
    return apps, clients


async def _login(client, password="Demo@12345"):
    return await client.post("/auth/login/password", json={"username": "demo-corp", "password": password})


async def test_failures_on_two_workers_add_up_to_one_lockout(workers):
    _, (first, second) = workers
    for client in (first, second, first, second):
        assert (await _login(client, "Wrong#pass1")).status_code == 401

    fifth = await _login(second, "Wrong#pass1")

    assert fifth.status_code == 423
    assert (await _login(first)).json()["code"] == "auth.locked"


async def test_the_rate_limit_counts_requests_to_every_worker(workers):
    apps, (first, second) = workers
    for app in apps:
        app.state.settings = app.state.settings.model_copy(update={"auth_requests_per_minute": 4})
    await fresh_rate_window()
    for client in (first, second, first, second):
        await _login(client, "Wrong#pass1")

    assert (await _login(first)).status_code == 429


async def test_a_logout_on_one_worker_is_seen_by_the_other(workers):
    _, (first, second) = workers
    tokens = (await _login(first)).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await second.get("/me", headers=headers)).status_code == 200

    await first.post("/auth/logout", headers=headers)

    assert (await second.get("/me", headers=headers)).status_code == 401


async def test_a_refresh_token_spent_on_one_worker_is_reuse_on_the_other(workers):
    _, (first, second) = workers
    tokens = (await _login(first)).json()
    await first.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})

    reuse = await second.post("/auth/token/refresh", json={"refresh_token": tokens["refresh_token"]})

    assert reuse.json()["code"] == "auth.refresh_token_reused"
    assert jwt.get_unverified_claims(tokens["access_token"])["sid"]


async def test_a_second_factor_step_started_on_one_worker_finishes_on_the_other(workers):
    _, (first, second) = workers
    body = {"username": "demo-officer", "password": "Demo@12345"}
    step = await first.post("/auth/login/password", json=body)

    tokens = await second_factor_login(second, step.json()["ticket"])

    assert tokens["user"]["username"] == "demo-officer"


async def test_an_idle_session_ended_on_one_worker_is_ended_on_the_other(workers):
    (_, strict), (first, second) = workers
    strict.state.settings = strict.state.settings.model_copy(update={"session_idle_timeout": timedelta(0)})
    tokens = await password_login(first, "demo-staff-sh")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}

    assert (await second.get("/me", headers=headers)).json()["code"] == "auth.session_idle"
    assert (await first.get("/me", headers=headers)).status_code == 401
