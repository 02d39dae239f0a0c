"""What every load benchmark shares: the bare Starlette baseline, wrk, and the report."""

import json
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.support.servers import VENV_BIN, free_ports, start

DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = 64
# Side-by-side figures come from short alternating rounds: this machine's speed drifts by a
# factor of two within minutes, so two figures taken ten seconds apart say little of their ratio.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "6"))
ROUND_DURATION = os.environ.get("BENCH_ROUND_DURATION", "4s")


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")


# The API's workers (WEB_CONCURRENCY, as in production). With one worker and two cores or more,
# servers run on one core and wrk on another, so that neither takes the other's time (PostgreSQL
# is left to the scheduler); with more workers than that, nothing is pinned.
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "1"))
SERVER_CORES = {1} if (os.cpu_count() or 1) > 1 and WORKERS == 1 else None
WRK_CORES = "0"


def pin_to_server_cores(process: subprocess.Popen) -> None:
    """Keep ``process`` and every process it started on the servers' core."""
    if SERVER_CORES is None:
        return
    for pid in (process.pid, *_descendants(process.pid)):
        os.sched_setaffinity(pid, SERVER_CORES)


def rss_mib(process: subprocess.Popen) -> dict[int, float]:
    """Resident memory of ``process`` and every process it started, by pid, in MiB."""
    sizes = {}
    for pid in (process.pid, *_descendants(process.pid)):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes[pid] = round(kib / 1024, 1)
    return sizes


def _descendants(pid: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, ValueError):
                continue
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found.extend(children)
        frontier = children
    return found


def start_baseline() -> tuple[subprocess.Popen, str]:
    """The bare Starlette endpoint (bench/bare.py)."""
    process, base = start_served("bench", "bare:app")
    return process, f"{base}/"


def start_served(
    app_dir: str, target: str, environment: dict[str, str] | None = None, probe: str = "/"
) -> tuple[subprocess.Popen, str]:
    """An ASGI app served exactly like the API (uvicorn, one worker, the same loop and parser),
    on the servers' core; its base URL."""
    (port,) = free_ports(1)
    base = f"http://127.0.0.1:{port}"
    command = [
        str(VENV_BIN / "uvicorn"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", "1"),
        *("--no-access-log", "--app-dir", app_dir, target),
    ]
    process = start(command, environment or {}, base + probe)
    pin_to_server_cores(process)
    return process, base


def wrk(url: str, *arguments: str, environment: dict | None = None, duration: str = DURATION) -> dict:
    """Requests per second, p99 latency and non-2xx count of one wrk run (``duration`` long)."""
    pinned = ["taskset", "-c", WRK_CORES] if SERVER_CORES else []
    output = subprocess.run(
        [*pinned, "wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "--latency", *arguments, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env={**os.environ, **(environment or {})},
    ).stdout
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p99_ms": round(float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)], 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def side_by_side(
    measured: Callable[[int], dict], floor: Callable[[int], dict], floor_name: str = "peer"
) -> dict:
    """``measured`` against its ``floor`` in ``ROUNDS`` short alternating rounds (each callable gets
    the round's index and runs one wrk): the median of the rounds' ratios, each side's median rate
    and p99 (the floor's under ``floor_name``), their non-2xx answers summed, and every round's ratio."""
    pairs = []
    for round_ in range(ROUNDS):
        # Which side goes first alternates, so that a drift within a round favours neither.
        if round_ % 2 == 0:
            theirs = floor(round_)
            ours = measured(round_)
        else:
            ours = measured(round_)
            theirs = floor(round_)
        pairs.append((theirs, ours))
    ratios = [ours["rps"] / theirs["rps"] for theirs, ours in pairs]
    return {
        **_medians([ours for _, ours in pairs]),
        floor_name: _medians([theirs for theirs, _ in pairs]),
        "ratio": round(statistics.median(ratios), 3),
        "round_ratios": [round(ratio, 3) for ratio in ratios],
    }


def meets(measured: dict, goal: dict) -> bool:
    """Whether ``measured`` (as ``side_by_side`` gives it) reaches ``goal``: its ratio, and its p99
    where the goal bounds it."""
    return measured["ratio"] >= goal["ratio"] and measured["p99_ms"] <= goal.get("p99_ms", float("inf"))


def _medians(runs: list[dict]) -> dict:
    return {
        "rps": round(statistics.median(run["rps"] for run in runs), 2),
        "p99_ms": round(statistics.median(run["p99_ms"] for run in runs), 2),
        "non_2xx": sum(run["non_2xx"] for run in runs),
    }


def write_report(directory: Path, endpoints: dict, file_name: str = "result.json", **extra) -> None:
    report = {
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}",
        "workers": WORKERS,
        "pinned": SERVER_CORES is not None,
        "duration": DURATION,
        "rounds": f"{ROUNDS} × {ROUND_DURATION}",
        "connections": CONNECTIONS,
        "endpoints": endpoints,
        **extra,
    }
    text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    (directory / file_name).write_text(text)
    print(text)
