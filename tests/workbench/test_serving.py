"""受理审批工作台 served by the app: every path of the app is its page, under its own CSP."""

import pytest

from app.workbench import STATIC_DIR

pytestmark = [
    pytest.mark.skipif(
        not (STATIC_DIR / "index.html").exists(), reason="run `make test` (it builds the workbench)"
    ),
    pytest.mark.one_database(reason="static files and response headers: no query reaches the database"),
]


async def test_a_deep_link_is_the_page_with_the_idle_timeout_and_the_workbench_policy(client, settings):
    response = await client.get("/workbench/applications/some-id")

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    idle = int(settings.session_idle_timeout.total_seconds())
    assert f'<meta name="msa-settings" content="idle_timeout={idle}">' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    assert response.headers["cache-control"] == "no-cache"


async def test_the_bundled_assets_are_served_and_cached_for_good(client):
    page = (await client.get("/workbench/")).text
    script = page.split('src="', 1)[1].split('"', 1)[0]

    response = await client.get(script)

    assert script.startswith("/workbench/assets/") and response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert (await client.get("/workbench/assets/missing.js")).status_code == 404


async def test_the_api_keeps_its_own_policy(client):
    response = await client.get("/healthz")

    assert response.headers["content-security-policy"].startswith("default-src 'none'; frame-ancestors")
