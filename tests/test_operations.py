"""What operators rely on: health checks, request ids, JSON logs, self-hosted docs."""

import io
import json
import logging
import re

import httpx
from pydantic import SecretStr

from app.cli import render_openapi
from app.core.config import Environment
from app.core.logging import HANDLER_NAME
from app.main import create_app
from tests.support.database import REPO_ROOT


async def test_healthz_answers_while_the_process_lives(client):
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_checks_database_and_storage(client):
    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


async def test_readyz_is_503_when_storage_cannot_be_written(app, client, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the storage directory should be")
    app.state.adapters.storage.root = blocked / "files"

    response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "storage": "unavailable"}


async def test_every_response_carries_a_request_id(client):
    response = await client.get("/healthz")

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = await client.get("/healthz", headers={"X-Request-ID": "gateway-abc-12345"})
    replaced = await client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})

    assert kept.headers["x-request-id"] == "gateway-abc-12345"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"])


async def test_logs_are_json_lines_carrying_the_request_id(app, client, caplog):
    caplog.set_level(logging.INFO)
    handler = next(h for h in logging.getLogger().handlers if h.name == HANDLER_NAME)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        response = await client.get("/api/v1/agencies/SH")
    finally:
        handler.setStream(previous)

    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    access = [r for r in records if r["logger"] == "app.access"]
    assert access and access[-1]["request_id"] == response.headers["x-request-id"]
    assert access[-1]["status"] == 200 and access[-1]["path"] == "/api/v1/agencies/SH"


async def test_docs_and_redoc_load_nothing_from_outside(client):
    for path in ("/docs", "/redoc"):
        page = await client.get(path)
        assert page.status_code == 200
        urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", page.text)
        assert urls, path
        assert all(url.startswith("/") for url in urls), (path, urls)
        assert "googleapis" not in page.text and "cdn" not in page.text
        for asset in (u for u in urls if u.startswith("/static/")):
            assert (await client.get(asset)).status_code == 200, asset


async def test_the_committed_openapi_document_is_the_one_served(client):
    committed = json.loads((REPO_ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))

    served = (await client.get("/openapi.json")).json()

    assert committed == json.loads(render_openapi()), "openapi/openapi.json is stale: run `make openapi`"
    assert served == committed


async def test_the_openapi_documents_errors_as_problem_json_in_chinese(client):
    spec = (await client.get("/openapi.json")).json()

    guide = spec["paths"]["/api/v1/catalog/items/{code}"]["get"]
    assert guide["summary"] == "办事指南"
    not_found = guide["responses"]["404"]["content"]["application/problem+json"]
    assert not_found["schema"]["$ref"] == "#/components/schemas/Problem"
    assert not_found["examples"]["catalog.item_not_found"]["value"]["title"] == "未找到该事项"
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            assert operation.get("summary"), path
            assert "500" in operation["responses"] or not path.startswith("/api/"), path
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (path, status)
    assert "HTTPValidationError" not in spec["components"]["schemas"]


async def test_metrics_count_requests_by_route_template_and_show_the_pool(client):
    await client.get("/api/v1/catalog/items/TH-001")
    await client.get("/api/v1/catalog/items/XX-999")

    body = (await client.get("/metrics")).text

    assert 'msa_http_requests_total{method="GET",route="/api/v1/catalog/items/{code}",status="200"}' in body
    assert 'route="/api/v1/catalog/items/{code}",status="404"' in body
    assert "msa_http_request_duration_seconds_bucket" in body
    assert 'msa_db_pool_connections{state="checked_out"}' in body


async def test_with_a_metrics_token_only_the_scraper_that_presents_it_reads_the_metrics(app, client):
    app.state.settings = app.state.settings.model_copy(update={"metrics_token": SecretStr("scrape-4f9c")})

    anonymous = await client.get("/metrics")
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer guess"})
    scraper = await client.get("/metrics", headers={"Authorization": "Bearer scrape-4f9c"})

    for refused in (anonymous, wrong):
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.json()["code"] == "auth.not_authenticated"
    assert scraper.status_code == 200 and "msa_http_requests_total" in scraper.text


async def test_an_unmatched_path_is_one_series_not_one_per_url(client):
    for n in range(3):
        await client.get(f"/no/such/page/{n}")

    body = (await client.get("/metrics")).text

    assert 'route="unmatched",status="404"' in body
    assert "/no/such/page" not in body


async def test_responses_carry_security_headers_and_a_strict_policy_outside_the_docs(client):
    api = await client.get("/api/v1/agencies/SH")
    docs = await client.get("/docs")

    for response in (api, docs):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert api.headers["content-security-policy"].startswith("default-src 'none'")
    assert "script-src 'self'" in docs.headers["content-security-policy"]


async def test_production_serves_no_docs_unless_asked(settings):
    production = settings.model_copy(update={"app_env": Environment.production})
    quiet = create_app(production)
    opened = create_app(production.model_copy(update={"docs_enabled": True}))

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=quiet), base_url="http://t") as client:
        assert (await client.get("/docs")).status_code == 404
        assert (await client.get("/openapi.json")).status_code == 404
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=opened), base_url="http://t") as client:
        assert (await client.get("/openapi.json")).status_code == 200


async def test_cors_answers_only_the_allowed_origins(settings):
    app = create_app(settings.model_copy(update={"cors_origins": ["https://admin.msa.example"]}))
    preflight = {"Access-Control-Request-Method": "GET"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        allowed = await client.options(
            "/healthz", headers={"Origin": "https://admin.msa.example", **preflight}
        )
        other = await client.options("/healthz", headers={"Origin": "https://evil.example", **preflight})

    assert allowed.headers["access-control-allow-origin"] == "https://admin.msa.example"
    assert "access-control-allow-origin" not in other.headers
