"""The mini program's real services/ code against a live backend (issue: end-to-end test).

Starts the API as `make run` does (scripts/serve, SQLite, demo data) on a free loopback port
and runs `npm run test:e2e` in miniprogram/ against it.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.database import REPO_ROOT

MINIPROGRAM = REPO_ROOT / "miniprogram"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_server(tmp_path):
    port = _free_port()
    environment = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "var"),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    environment.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        ["scripts/serve"],
        cwd=REPO_ROOT,
        env=environment,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("the API did not start for the end-to-end test")
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.skipif(
    not (MINIPROGRAM / "node_modules").exists() or shutil.which("npm") is None,
    reason="run `make test` (it installs the mini program's packages) for the end-to-end test",
)
def test_the_mini_program_runs_its_manual_flows_against_the_live_backend(live_server):
    result = subprocess.run(
        ["npm", "run", "test:e2e"],
        cwd=MINIPROGRAM,
        env={**os.environ, "E2E_BASE_URL": live_server, "CI": "true"},
        capture_output=True,
        text=True,
        timeout=600,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    (summary,) = [line for line in output.splitlines() if line.startswith("Tests:")]
    assert "passed" in summary and "skipped" not in summary, summary
