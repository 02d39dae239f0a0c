"""Prometheus metrics: requests by route and status, database pool, uploads, state transitions.

With several worker processes set PROMETHEUS_MULTIPROC_DIR (prometheus-client's multiprocess
mode) so that /metrics adds up every worker, not just the one that answers.
"""

import hmac
import os

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from app.core.auth import NotAuthenticated

REQUESTS = Counter("msa_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "msa_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
UPLOADS = Counter("msa_material_uploads_total", "Material uploads", ["outcome"])
UPLOADED_BYTES = Counter("msa_material_uploaded_bytes_total", "Bytes of accepted material uploads")
TRANSITIONS = Counter("msa_application_transitions_total", "Application state transitions", ["action", "to"])


# The labelled series of each (method, route, status) seen, looked up once: on a read answered
# from memory, resolving the labels anew cost as much as the rest of the bookkeeping.
_SERIES: dict[tuple[str, str, int], tuple] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    series = _SERIES.get((method, route, status))
    if series is None:
        series = _SERIES[method, route, status] = (
            REQUESTS.labels(method, route, str(status)),
            LATENCY.labels(method, route),
        )
    series[0].inc()
    series[1].observe(seconds)


class _PoolCollector:
    """The database pool as it is at scrape time."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app

    def collect(self):
        engine = getattr(self._app.state, "engine", None)
        pool = engine.pool if engine is not None else None
        if pool is None or not hasattr(pool, "checkedout"):
            return
        gauge = GaugeMetricFamily("msa_db_pool_connections", "Database pool connections", labels=["state"])
        gauge.add_metric(["checked_out"], pool.checkedout())
        gauge.add_metric(["idle"], pool.checkedin())
        gauge.add_metric(["overflow"], max(pool.overflow(), 0))
        yield gauge


def mount_metrics(app: FastAPI) -> None:
    pool = _PoolCollector(app)

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        _require_scraper(request)
        registry = CollectorRegistry()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = REGISTRY
        # The pool belongs to this app instance, so it is not registered process-wide.
        this_app = CollectorRegistry(auto_describe=False)
        this_app.register(pool)
        return Response(generate_latest(registry) + generate_latest(this_app), media_type=CONTENT_TYPE_LATEST)


def _require_scraper(request: Request) -> None:
    """With METRICS_TOKEN set, only the scraper that knows it reads the metrics; route names,
    traffic and pool sizes are not for the public even where a proxy is forgotten."""
    token = request.app.state.settings.metrics_token
    if token is None:
        return
    presented = request.headers.get("authorization", "")
    expected = f"Bearer {token.get_secret_value()}"
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise NotAuthenticated("请提供指标令牌", headers={"WWW-Authenticate": "Bearer"})
