"""Read benchmark: public read endpoints against a bare Starlette endpoint, side by side.

Both servers run the same way (uvicorn, one worker, the same event loop and HTTP parser) on
loopback; wrk drives each URL for DURATION seconds at 64 connections, one after the other.

    .venv/bin/python bench/reads/run.py        # writes bench/reads/result.json
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.seaweed import _free_ports  # noqa: E402

DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = 64
ENDPOINTS = {
    "agency tree": "/api/v1/agencies",
    "catalog search q=船舶": "/api/v1/catalog/items?q=" + quote("船舶"),
    "one guide": "/api/v1/catalog/items/TH-001",
}
GOAL = {"ratio": 0.6, "p99_ms": 20.0}


def _serve(command: list[str], environment: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{command[0]} did not start") from None
            time.sleep(0.3)


def _wrk(url: str) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p99_ms": round(float(p99.group(1)) * scale, 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="msa-bench-reads-"))
    api_port, bare_port = _free_ports(2)
    bin_dir = Path(sys.executable).parent
    environment = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "LOG_LEVEL": "WARNING"}
    uvicorn = [str(bin_dir / "uvicorn"), "--host", "127.0.0.1", "--workers", "1", "--no-access-log"]
    api = _serve(["scripts/serve"], {**environment, "DATA_DIR": str(work), "PORT": str(api_port)}, api_port)
    bare = _serve(
        [*uvicorn, "--port", str(bare_port), "--app-dir", "bench/reads", "bare:app"], environment, bare_port
    )
    try:
        baseline = _wrk(f"http://127.0.0.1:{bare_port}/")
        results = {}
        for name, path in ENDPOINTS.items():
            measured = _wrk(f"http://127.0.0.1:{api_port}{path}")
            measured["ratio"] = round(measured["rps"] / baseline["rps"], 2)
            measured["meets_goal"] = (
                measured["ratio"] >= GOAL["ratio"] and measured["p99_ms"] <= GOAL["p99_ms"]
            )
            results[name] = measured
    finally:
        for process in (api, bare):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    report = {
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}",
        "duration": DURATION,
        "connections": CONNECTIONS,
        "baseline": baseline,
        "endpoints": results,
        "goal": GOAL,
    }
    (Path(__file__).parent / "result.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
