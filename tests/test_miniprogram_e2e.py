"""The mini program's real services/ code against a live backend (issue: end-to-end test).

Starts the API as `make run` does (scripts/serve, SQLite, demo data) on a free loopback port
and runs `npm run test:e2e` in miniprogram/ against it.
"""

import asyncio
import json
import os
import shutil
import subprocess
import time

import httpx
import pytest

from app.core.db import create_engine, create_sessionmaker, in_transaction
from app.core.seeding import directory_source
from app.seed import load_seed_data, prepare_dataset
from tests.support.database import settings_for_tests
from tests.support.servers import REPO_ROOT, start_api, stop
from tests.support.upkeep import ITEM, OFFICE, write_dataset_with_office

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


async def _publish(database_url: str, data_dir, dataset) -> None:
    """``dataset`` loaded into the live server's database as publishing loads it."""
    engine = create_engine(settings_for_tests(database_url, data_dir))
    try:
        # Holding SQLite's write lock from the first statement, as the app's writers do: a deferred
        # transaction that read first could not take it once the server had written in between.
        await in_transaction(
            create_sessionmaker(engine, lock_on_begin=True),
            lambda session: load_seed_data(session, dataset, replace=True),
        )
    finally:
        await engine.dispose()


@pytest.mark.skipif(
    not (MINIPROGRAM / "node_modules").exists() or shutil.which("npx") is None,
    reason="run `make test` (it installs the mini program's packages) for the end-to-end test",
)
def test_a_published_office_is_offered_in_the_picker_and_its_guide_shows_its_address_and_phone(
    tmp_path, monkeypatch
):
    """Issue 19: a 海事处 added under a branch bureau with its address and phone and one item,
    published while the server runs; the mini program's client sees it within seconds."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    data_dir = tmp_path / "var"
    process, base = start_api({"DATA_DIR": str(data_dir)})
    try:
        dataset = prepare_dataset(directory_source(write_dataset_with_office(tmp_path / "dataset")))
        # The server keeps the item's picker tree in memory, without the office, before publishing.
        before = httpx.get(f"{base}/api/v1/catalog/items/{ITEM}/agencies").text
        assert httpx.get(f"{base}/api/v1/catalog/items/{ITEM}/agencies").text == before
        assert OFFICE["code"] not in before
        url = f"sqlite+aiosqlite:///{(data_dir / 'msa.sqlite3').resolve()}"
        asyncio.run(_publish(url, data_dir, dataset))
        published_at = time.time()
        result = subprocess.run(
            ["npx", "jest", "--config", "jest.e2e.config.js", "--runInBand"]
            + ["--testMatch", "**/test/e2e/*.upkeep.js"],
            cwd=MINIPROGRAM,
            env={**os.environ, "E2E_BASE_URL": base, "CI": "true"}
            | {"E2E_OFFICE": json.dumps(OFFICE), "E2E_ITEM": ITEM},
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        stop(process)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    (summary,) = [line for line in output.splitlines() if line.startswith("Tests:")]
    assert summary.strip() == "Tests:       1 passed, 1 total", summary
    (offered,) = [line for line in output.splitlines() if line.startswith("E2E_OFFERED_AT_MS=")]
    # Jest's start-up included: the server checks the dataset's version every 2 s.
    seconds = int(offered.split("=")[1]) / 1000 - published_at
    print(f"offered {seconds:.1f} s after publishing")
    assert seconds < 15, f"offered {seconds:.1f} s after publishing"
