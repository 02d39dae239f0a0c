"""Application factory: ``create_app``; a server process runs ``create_served_app``
(``uvicorn --factory app.main:create_served_app``, scripts/serve)."""

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.api import include_api, wire_domains
from app.auth import face
from app.auth.oauth_router import router as oauth_router
from app.certificates.router import well_known_router
from app.core import throttle
from app.core.config import Environment, Settings, get_settings
from app.core.db import create_engine, in_transaction, install_sessionmakers
from app.core.docs import mount_docs
from app.core.errors import install_error_handlers
from app.core.housekeeping import repeat
from app.core.logging import configure_logging
from app.core.metrics import mount_metrics
from app.core.middleware import RequestContextMiddleware
from app.core.openapi import install_openapi, operation_id
from app.core.pii import PersonalDataCipher
from app.core.read_cache import ReadCache
from app.dataset import service as dataset
from app.integrations.factory import build_adapters
from app.integrations.storage.sweeper import keep_sweeping
from app.ops.router import router as ops_router
from app.webhooks import dispatcher as webhooks
from app.workbench import mount_workbench

VERSION = "0.1.0"
# An unused face session holds a name and ID number until this long after it expires at most.
FORGET_FACE_SESSIONS_EVERY_S = 60
# A scheduled dataset version is published this soon after its time (by whichever worker looks first).
PUBLISH_DUE_EVERY_S = 15


def create_served_app(settings: Settings | None = None) -> FastAPI:
    """The app of a server worker process, which it serves until the process ends."""
    return create_app(settings, owns_process=True)


def create_app(settings: Settings | None = None, *, owns_process: bool = False) -> FastAPI:
    """The app on ``settings``; ``owns_process``: it lives as long as its process (a server
    worker), not as one of many apps a process makes (tests, the CLI)."""
    settings = settings or get_settings()
    wire_domains()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = create_engine(settings)
        install_sessionmakers(app.state, app.state.engine)
        app.state.adapters = build_adapters(settings, app.state.sessionmaker)
        app.state.pii = PersonalDataCipher(*settings.pii_keys)
        app.state.read_cache = ReadCache(
            app.state.sessionmaker, check_seconds=settings.read_cache_check_seconds
        )
        housekeeping = [
            asyncio.create_task(keep_sweeping(app.state.adapters.storage, settings.partial_upload_max_age)),
            asyncio.create_task(
                repeat(
                    lambda: in_transaction(app.state.sessionmaker, face.forget_expired_persons),
                    every_seconds=FORGET_FACE_SESSIONS_EVERY_S,
                    what="erasing the persons of expired face sessions",
                )
            ),
            asyncio.create_task(
                repeat(
                    lambda: in_transaction(app.state.sessionmaker, throttle.forget_stale),
                    every_seconds=FORGET_FACE_SESSIONS_EVERY_S,
                    what="dropping stale rate-limit counters",
                )
            ),
            asyncio.create_task(
                repeat(
                    lambda: dataset.publish_when_due(app.state.sessionmaker, app.state.request_sessionmaker),
                    every_seconds=PUBLISH_DUE_EVERY_S,
                    what="publishing scheduled dataset versions",
                )
            ),
        ]
        if owns_process:
            # What start-up built (routes, schemas, mappers, the engine) lives as long as the
            # process, yet every full collection walked it: half a million objects, 150–230 ms
            # each time, several times a minute under load (bench/README.md). Frozen objects are
            # still freed by reference counting; only the cycle collector no longer visits them.
            gc.collect()
            gc.freeze()
        # Signed event webhooks: in this worker, unless a process of their own sends them.
        webhooks_stop = asyncio.Event()
        dispatching = (
            asyncio.create_task(webhooks.serve(app.state.engine, settings, app.state.pii, webhooks_stop))
            if settings.webhook_dispatcher == "embedded"
            else None
        )
        try:
            yield
        finally:
            webhooks_stop.set()
            if dispatching is not None:
                # The round in progress ends (its sends are bounded by their timeout), then it stops.
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(dispatching, settings.webhook_timeout_seconds + 5)
            for job in housekeeping:
                job.cancel()
            for job in housekeeping:
                with contextlib.suppress(asyncio.CancelledError):
                    await job
            await app.state.adapters.close()
            await app.state.engine.dispose()

    configure_logging(settings.log_level)
    app = FastAPI(
        title="海事一网通办 API",
        version=VERSION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs_served else None,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
            expose_headers=["ETag", "X-Request-ID", "Retry-After"],
        )
    app.add_middleware(RequestContextMiddleware, hsts=settings.app_env is Environment.production)
    install_error_handlers(app)
    install_openapi(app)
    if settings.docs_served:
        mount_docs(app)
    mount_metrics(app)
    app.include_router(ops_router)
    app.include_router(well_known_router)
    app.include_router(oauth_router)
    include_api(app)
    mount_workbench(app, settings)
    return app
