"""The database goes away: callers get a 503 they can act on, and the service heals by itself.

While PostgreSQL is down every request that needs it is answered 503 `service.unavailable`
(problem+json, zh-CN title, Retry-After) instead of a 500, /readyz says which dependency is
missing and /healthz keeps answering (the process is fine; restarting it would not help).
Once PostgreSQL is back the same process serves again: pooled connections that died with
the old server are noticed on checkout (those that sat idle are pinged) or by the first statement
that fails on one (which replaces the whole pool), and replaced.

Public reference data a worker holds in memory (agencies, catalog, guides) goes on being served
while PostgreSQL is down — the last version it saw published, marked so in `Cache-Status` — and
is checked as before once PostgreSQL is back.

On SQLite, a request that cannot get the write lock within the busy timeout is 503
`service.busy`, not a 500; reads that write nothing go on (tests/test_sqlite_reads.py). A WeChat access token fetched
while the lock is taken is used all the same, only not shared with other workers.
"""

import asyncio

import httpx
import pytest
import respx

from app.core import db
from app.core.db import create_engine, create_sessionmaker
from app.integrations.wechat.client import WeChatApiClient
from app.integrations.wechat.token_cache import SharedTokenCache
from app.core.read_cache import STALE_CACHE_STATUS
from tests.support.applying import login
from tests.support.database import selected_databases, serving, settings_for_tests, write_lock_held
from tests.support.faults import TEST_BUDGET_S, assert_unavailable

READYZ, HEALTHZ = "http://testserver/readyz", "http://testserver/healthz"


def needs(database: str):
    """These tests bring their own database; `TEST_DATABASES` still decides which kinds run."""
    return pytest.mark.skipif(
        database not in selected_databases(), reason=f"TEST_DATABASES excludes {database}"
    )


async def test_while_postgresql_is_down_requests_get_503_and_the_same_process_recovers(
    lone_postgres, tmp_path
):
    settings = settings_for_tests(lone_postgres.create_database("msa"), tmp_path)
    async with serving(settings, empty=True) as api:
        corp = await login(api, "demo-corp")
        assert (await api.get("/me", headers=corp)).status_code == 200

        await asyncio.to_thread(lone_postgres.pause)
        try:
            assert_unavailable(await api.get("/me", headers=corp), "service.unavailable")
            assert_unavailable(await api.get("/me/applications", headers=corp), "service.unavailable")
            assert_unavailable(
                await api.post(
                    "/auth/login/password", json={"username": "demo-corp", "password": "Demo@12345"}
                ),
                "service.unavailable",
            )
            assert_unavailable(await api.get("/catalog/items/TH-001"), "service.unavailable")
            ready = await api.get(READYZ)
            assert ready.status_code == 503
            assert ready.json() == {
                "status": "unavailable",
                "checks": {"database": "unavailable", "storage": "ok"},
            }
            assert (await api.get(HEALTHZ)).status_code == 200
        finally:
            await asyncio.to_thread(lone_postgres.resume)

        assert (await api.get("/me", headers=corp)).status_code == 200
        assert (await api.get("/catalog/items/TH-001")).status_code == 200
        assert (await api.get(READYZ)).json()["status"] == "ok"
        created = await api.post("/applications", json={"item_code": "WF-002"}, headers=corp)
        assert created.status_code == 201, created.text


async def test_after_a_restart_nobody_noticed_the_first_request_gets_a_live_connection(
    lone_postgres, tmp_path, monkeypatch
):
    """PostgreSQL restarts while no request runs: the pooled connections died with it. The one
    the next request checks out has been idle, so it is pinged, found dead and replaced with the
    rest of the pool, and the request never sees it."""
    settings = settings_for_tests(lone_postgres.create_database("msa"), tmp_path)
    async with serving(settings, empty=True) as api:
        corp = await login(api, "demo-corp")
        assert (await api.get("/me", headers=corp)).status_code == 200

        await asyncio.to_thread(lone_postgres.pause)
        await asyncio.to_thread(lone_postgres.resume)
        monkeypatch.setattr(db, "PING_WHEN_IDLE_SECONDS", 0.0)  # as if idle for a while

        assert (await api.get("/me", headers=corp)).status_code == 200
        assert (await api.get("/me/applications", headers=corp)).status_code == 200


async def test_while_postgresql_is_down_public_data_held_in_memory_is_still_served_and_says_so(
    lone_postgres, tmp_path
):
    # Versions checked on every read: the outage is noticed at once, not within seconds.
    settings = settings_for_tests(lone_postgres.create_database("msa"), tmp_path).model_copy(
        update={"read_cache_check_seconds": 0}
    )
    held = ["/agencies", "/catalog/items/TH-002", "/online-items"]
    async with serving(settings, empty=True) as api:
        before = {url: await api.get(url) for url in held}
        assert all(response.status_code == 200 for response in before.values())

        await asyncio.to_thread(lone_postgres.pause)
        try:
            during = {url: await api.get(url) for url in held}
            revalidated = await api.get(held[1], headers={"If-None-Match": before[held[1]].headers["etag"]})
            never_read = await api.get("/catalog/items/TH-001")
        finally:
            await asyncio.to_thread(lone_postgres.resume)

        for url, response in during.items():
            assert response.status_code == 200, url
            assert response.content == before[url].content, url
            assert response.headers["cache-status"] == STALE_CACHE_STATUS, url
        assert revalidated.status_code == 304 and revalidated.headers["cache-status"] == STALE_CACHE_STATUS
        assert_unavailable(never_read, "service.unavailable")  # nothing in memory to serve
        # The check that failed is tried again in the background; the next reads are fresh.
        for _ in range(100):
            after = await api.get(held[0])
            if "cache-status" not in after.headers:
                break
            await asyncio.sleep(0.05)
        assert after.status_code == 200 and "cache-status" not in after.headers


@needs("sqlite")
async def test_a_sqlite_write_lock_held_elsewhere_is_503_busy_until_it_is_released(sqlite_settings):
    async with asyncio.timeout(TEST_BUDGET_S), serving(sqlite_settings) as api:
        corp = await login(api, "demo-corp")

        with write_lock_held(sqlite_settings):
            # A request that writes waits for the lock as long as the busy timeout allows, then
            # gives up; reads go on.
            assert_unavailable(
                await api.post("/applications", json={"item_code": "WF-002"}, headers=corp), "service.busy"
            )
            assert (await api.get("/me", headers=corp)).status_code == 200
            assert (await api.get("/agencies")).status_code == 200

        created = await api.post("/applications", json={"item_code": "WF-002"}, headers=corp)
        assert created.status_code == 201, created.text
        mine = (await api.get("/me/applications", headers=corp)).json()["items"]
        assert [a["id"] for a in mine] == [created.json()["id"]]


@needs("sqlite")
@respx.mock
async def test_a_wechat_token_fetched_while_the_database_is_locked_is_used_all_the_same(sqlite_settings):
    """A face verification holds SQLite's write lock when it needs the token: sharing it must wait."""
    engine = create_engine(sqlite_settings)
    respx.post("https://api.weixin.qq.com/cgi-bin/stable_token").respond(
        json={"access_token": "T-LOCKED", "expires_in": 7200}
    )
    try:
        async with httpx.AsyncClient(base_url="https://api.weixin.qq.com") as http:
            wechat = WeChatApiClient(
                http,
                app_id="wx-app",
                app_secret="s3cret",
                token_cache=SharedTokenCache(create_sessionmaker(engine)),
            )
            with write_lock_held(sqlite_settings):
                assert await asyncio.wait_for(wechat.access_token(), 30) == "T-LOCKED"
    finally:
        await engine.dispose()
