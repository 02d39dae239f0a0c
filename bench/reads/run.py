"""Read benchmark: public read endpoints against a bare Starlette endpoint, side by side.

Both servers run the same way (uvicorn, one worker, the same event loop and HTTP parser) on
loopback, pinned to one core, with wrk on the other; wrk drives each URL for BENCH_DURATION at 64
connections, one after the other.

    .venv/bin/python bench/reads/run.py        # writes bench/reads/result.json
"""

import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.harness import pin_to_server_cores, require_wrk, start_baseline, write_report, wrk  # noqa: E402
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
        baseline = wrk(bare_url)
        results = {}
        for name, path in ENDPOINTS.items():
            measured = wrk(f"{base}{path}")
            measured["ratio"] = round(measured["rps"] / baseline["rps"], 2)
            measured["meets_goal"] = (
                measured["ratio"] >= GOAL["ratio"] and measured["p99_ms"] <= GOAL["p99_ms"]
            )
            results[name] = measured
    finally:
        stop(api)
        stop(bare)
        shutil.rmtree(work, ignore_errors=True)
    write_report(Path(__file__).parent, baseline, results)


if __name__ == "__main__":
    main()
