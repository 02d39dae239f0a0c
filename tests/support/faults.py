"""Faults on purpose: outages, API servers killed mid-request, and how a test recognises a clean 503.

Every wait here has a deadline, and everything started is stopped by the fixture that owns it.
"""

import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.applications.models import ApplicationEvent
from app.applications.state_machine import Action
from app.integrations.storage.s3 import S3Storage
from app.main import create_app
from tests.support.seaweed import ThrowawaySeaweed
from tests.support.servers import VENV_BIN, free_ports, start, stop

# No fault test may hang the suite: each runs within this, whatever it waits for.
TEST_BUDGET_S = 180

TITLES = {
    "service.unavailable": "服务暂时不可用，请稍后重试",
    "service.busy": "系统繁忙，请稍后重试",
    "storage.unavailable": "文件存储暂时不可用，请稍后重试",
}


def assert_unavailable(response: httpx.Response, code: str) -> None:
    """A 503 problem in Chinese with its stable code and when to try again."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["title"], body["status"]) == (code, TITLES[code], 503)
    assert int(response.headers["retry-after"]) > 0


async def eventually(check: Callable[[], Awaitable[bool] | bool], *, within: float, what: str) -> None:
    """Poll ``check`` until it holds; fail the test after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        outcome = check()
        if asyncio.iscoroutine(outcome):
            outcome = await outcome
        if outcome:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within}s: {what}")
        await asyncio.sleep(0.1)


def s3_storage(seaweed: ThrowawaySeaweed, bucket: str) -> S3Storage:
    return S3Storage(
        bucket=bucket,
        endpoint_url=seaweed.endpoint,
        region="us-east-1",
        access_key_id=seaweed.access_key,
        secret_access_key=seaweed.secret_key,
        part_size=5 * 1024 * 1024,
        presign_ttl_seconds=None,
    )


def s3_environment(seaweed: ThrowawaySeaweed, bucket: str) -> dict[str, str]:
    """What a server process needs to keep its files in ``bucket``."""
    return {
        "STORAGE_BACKEND": "s3",
        "S3_ENDPOINT_URL": seaweed.endpoint,
        "S3_BUCKET": bucket,
        "S3_ACCESS_KEY_ID": seaweed.access_key,
        "S3_SECRET_ACCESS_KEY": seaweed.secret_key,
        "S3_PART_SIZE": str(5 * 1024 * 1024),
    }


class KillableServer:
    """One API server process at a time (uvicorn, one worker) on a database and data directory
    that outlive it; the database is migrated and seeded beforehand, as scripts/serve would."""

    def __init__(self, environment: dict[str, str]) -> None:
        self.environment = environment
        self.process = None
        self.base = ""

    def start(self, factory: str = "app.main:create_app", **environment: str) -> None:
        """Serve ``factory`` (another one injects a test-only fault) and wait until it answers."""
        (port,) = free_ports(1)
        self.base = f"http://127.0.0.1:{port}"
        command = [
            str(VENV_BIN / "uvicorn"),
            "--factory",
            factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        settings = {"LOG_LEVEL": "WARNING", **self.environment, **environment}
        self.process = start(command, settings, f"{self.base}/healthz")

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=f"{self.base}/api/v1", timeout=30)

    def kill(self) -> None:
        """SIGKILL: no clean-up code of the server gets to run."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


# The fault a server started with ``app_pausing_inside_submit`` injects; longer than any test waits.
PAUSE_INSIDE_SUBMIT_S = 120


def app_pausing_inside_submit() -> FastAPI:
    """The API, except that a submit stops just before its commit.

    By then the transaction has written the new status, the number, the timeline entry and
    the messages; the file named by ``FAULT_MARKER`` tells the test that now is the time to
    kill the process. Test-only: a uvicorn factory for ``KillableServer.start``.
    """
    marker = Path(os.environ["FAULT_MARKER"])

    @event.listens_for(Session, "after_flush")
    def note_submit(session: Session, _context) -> None:
        if any(isinstance(o, ApplicationEvent) and o.action == Action.submit for o in session.new):
            session.info["submitting"] = True

    @event.listens_for(Session, "before_commit")
    def pause_before_commit(session: Session) -> None:
        if session.info.pop("submitting", False):
            session.flush()
            marker.write_text("inside submit, not committed")
            time.sleep(PAUSE_INSIDE_SUBMIT_S)  # blocks the whole server, as a hung disk would

    return create_app()
