"""Authenticated reads and a state change on PostgreSQL, against the bare Starlette endpoint.

Starts a throwaway PostgreSQL 15, the API on it (uvicorn, one worker) and the bare Starlette
baseline, prepares applications for demo-corp through the API, then drives with wrk:
我的办件, the staff queue (goal ≥ 0.25×) and submitting prepared drafts (goal ≥ 0.1×).

    .venv/bin/python bench/writes/run.py       # writes bench/writes/result.json
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

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.postgres import ThrowawayPostgres  # noqa: E402
from tests.support.seaweed import _free_ports  # noqa: E402

DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = 64
DRAFTS = int(os.environ.get("BENCH_DRAFTS", "4000"))
GOALS = {"我的办件": 0.25, "staff queue": 0.25, "submit a prepared draft": 0.1}


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


def _wrk(url: str, *arguments: str, environment: dict | None = None) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", *arguments, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env=environment,
    ).stdout
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p99_ms": round(float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)], 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def _prepare(base: str) -> tuple[str, str, Path]:
    """Tokens for demo-corp and demo-staff-sh, and a file of ready-to-submit draft ids."""
    with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as client:

        def login(username: str) -> str:
            body = {"username": username, "password": "Demo@12345"}
            return client.post("/auth/login/password", json=body).json()["access_token"]

        corp, staff = login("demo-corp"), login("demo-staff-sh")
        headers = {"Authorization": f"Bearer {corp}"}
        item = next(i for i in client.get("/online-items").json() if i["item_code"] == "WF-002")
        pdf = b"%PDF-1.4\n" + b"%" * 2048 + b"\n%%EOF"
        material = client.post("/me/materials", files={"file": ("bdn.pdf", pdf)}, headers=headers).json()[
            "id"
        ]
        draft = {
            "item_code": "WF-002",
            "agency_code": "SH",
            "form": item["example"],
            "materials": [{"slot": "report_materials", "material_id": material}],
            "contact_name": "王海明",
            "contact_phone": "13800138000",
        }
        ids = [client.post("/applications", json=draft, headers=headers).json()["id"] for _ in range(DRAFTS)]
        for application_id in ids[:50]:  # some submitted ones for the staff queue
            client.post(f"/applications/{application_id}/submit", headers=headers)
    ids_file = Path(tempfile.mkstemp(prefix="msa-drafts-")[1])
    ids_file.write_text("\n".join(ids[50:]) + "\n")
    return corp, staff, ids_file


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    postgres = ThrowawayPostgres()
    postgres.start()
    work = Path(tempfile.mkdtemp(prefix="msa-bench-writes-"))
    api_port, bare_port = _free_ports(2)
    bin_dir = Path(sys.executable).parent
    environment = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "LOG_LEVEL": "WARNING"}
    api_environment = {
        **environment,
        "DATA_DIR": str(work),
        "PORT": str(api_port),
        "DATABASE_URL": postgres.create_database("msa_bench"),
        "MATERIAL_QUOTA_FILES": "100000",
    }
    processes = []
    try:
        processes.append(_serve(["scripts/serve"], api_environment, api_port))
        processes.append(
            _serve(
                [
                    str(bin_dir / "uvicorn"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(bare_port),
                    "--workers",
                    "1",
                    "--no-access-log",
                    "--app-dir",
                    "bench/reads",
                    "bare:app",
                ],
                environment,
                bare_port,
            )
        )
        base = f"http://127.0.0.1:{api_port}"
        corp, staff, ids_file = _prepare(base)
        baseline = _wrk(f"http://127.0.0.1:{bare_port}/")
        results = {
            "我的办件": _wrk(f"{base}/api/v1/me/applications", "-H", f"Authorization: Bearer {corp}"),
            "staff queue": _wrk(f"{base}/api/v1/staff/applications", "-H", f"Authorization: Bearer {staff}"),
            "submit a prepared draft": _wrk(
                base,
                "-s",
                str(ROOT / "bench/writes/submit.lua"),
                environment={**environment, "IDS_FILE": str(ids_file), "TOKEN": corp},
            ),
        }
        for name, measured in results.items():
            measured["ratio"] = round(measured["rps"] / baseline["rps"], 3)
            measured["goal"] = GOALS[name]
            measured["meets_goal"] = measured["ratio"] >= GOALS[name]
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)

    report = {
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}",
        "duration": DURATION,
        "connections": CONNECTIONS,
        "baseline": baseline,
        "endpoints": results,
    }
    (Path(__file__).parent / "result.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
