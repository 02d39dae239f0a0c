"""The mini program's real services/ code against a live backend (issue: end-to-end test).

Starts the API as `make run` does (scripts/serve, SQLite, demo data) on a free loopback port
and runs `npm run test:e2e` in miniprogram/ against it.
"""

import os
import shutil
import subprocess

import pytest

from tests.support.servers import REPO_ROOT, start_api, stop

MINIPROGRAM = REPO_ROOT / "miniprogram"


@pytest.fixture
def live_server(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)  # the embedded default, as `make run`
    # Every page's flow signs people in, registers them and asks 办件查询 from one address within
    # a minute or two: the per-address limits would cut the suite short.
    limits = {"AUTH_REQUESTS_PER_MINUTE": "1000", "PUBLIC_QUERIES_PER_MINUTE": "1000"}
    process, base = start_api({"DATA_DIR": str(tmp_path / "var"), **limits})
    yield base
    stop(process)


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
