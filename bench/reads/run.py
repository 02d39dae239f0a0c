"""Read benchmark: public read endpoints against a bare Starlette endpoint, side by side.

Both servers run the same way (uvicorn, one worker, the same event loop and HTTP parser) on
loopback, pinned to one core, with wrk on the other; wrk drives each URL and the bare endpoint at
64 connections in short alternating rounds (``bench.harness.side_by_side``): each ratio is the
median of its rounds'.

    .venv/bin/python bench/reads/run.py        # writes bench/reads/result.json
"""

import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    ROUND_DURATION,
    meets,
    pin_to_server_cores,
    require_wrk,
    side_by_side,
    start_baseline,
    write_report,
    wrk,
)
from tests.support.servers import start_api, stop  # noqa: E402

ENDPOINTS = {
    "agency tree": "/api/v1/agencies",
    "catalog search q=船舶": "/api/v1/catalog/items?q=" + quote("船舶"),
    "one guide": "/api/v1/catalog/items/TH-001",
}
GOAL = {"ratio": 0.6, "p99_ms": 20.0}


def main() -> None:
    require_wrk()
    work = Path(tempfile.mkdtemp(prefix="msa-bench-reads-"))
    api, base = start_api({"DATA_DIR": str(work)})
    pin_to_server_cores(api)
    bare, bare_url = start_baseline()
    try:
        results = {}
        for name, path in ENDPOINTS.items():
            measured = side_by_side(
                lambda _round, url=f"{base}{path}": wrk(url, duration=ROUND_DURATION),
                lambda _round: wrk(bare_url, duration=ROUND_DURATION),
                floor_name="bare",
            )
            measured["goal"] = GOAL
            measured["meets_goal"] = meets(measured, GOAL)
            results[name] = measured
    finally:
        stop(api)
        stop(bare)
        shutil.rmtree(work, ignore_errors=True)
    write_report(Path(__file__).parent, results)


if __name__ == "__main__":
    main()
