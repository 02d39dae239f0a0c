"""Authenticated reads and a state change on PostgreSQL, against the bare Starlette endpoint.

Starts a throwaway PostgreSQL 15, the API on it (uvicorn, one worker) and the bare Starlette
baseline, prepares applications for demo-corp through the API, then drives with wrk:
我的办件, the staff queue (goal ≥ 0.25×) and submitting prepared drafts (goal ≥ 0.1×).

    .venv/bin/python bench/writes/run.py       # writes bench/writes/result.json
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.harness import require_wrk, start_baseline, write_report, wrk  # noqa: E402
from tests.support.people import totp_code  # noqa: E402
from tests.support.postgres import ThrowawayPostgres  # noqa: E402
from tests.support.servers import start_api, stop  # noqa: E402

DRAFTS = int(os.environ.get("BENCH_DRAFTS", "4000"))
GOALS = {"我的办件": 0.25, "staff queue": 0.25, "submit a prepared draft": 0.1}


def _prepare(base: str) -> tuple[str, str, Path]:
    """Tokens for demo-corp and demo-staff-sh, and a file of ready-to-submit draft ids."""
    with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as client:

        def login(username: str) -> str:
            body = {"username": username, "password": "Demo@12345"}
            signed_in = client.post("/auth/login/password", json=body).json()
            if signed_in.get("second_factor_required"):  # staff: the demo authenticator's code
                step = {"ticket": signed_in["ticket"], "code": totp_code()}
                signed_in = client.post("/auth/login/second-factor", json=step).json()
            return signed_in["access_token"]

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
    require_wrk()
    postgres = ThrowawayPostgres()
    postgres.start()
    work = Path(tempfile.mkdtemp(prefix="msa-bench-writes-"))
    processes = []
    try:
        api, base = start_api(
            {
                "DATA_DIR": str(work),
                "DATABASE_URL": postgres.create_database("msa_bench"),
                "MATERIAL_QUOTA_FILES": "100000",
            }
        )
        processes.append(api)
        bare, bare_url = start_baseline()
        processes.append(bare)
        corp, staff, ids_file = _prepare(base)
        baseline = wrk(bare_url)
        results = {
            "我的办件": wrk(f"{base}/api/v1/me/applications", "-H", f"Authorization: Bearer {corp}"),
            "staff queue": wrk(f"{base}/api/v1/staff/applications", "-H", f"Authorization: Bearer {staff}"),
            "submit a prepared draft": wrk(
                base,
                "-s",
                str(ROOT / "bench/writes/submit.lua"),
                environment={"IDS_FILE": str(ids_file), "TOKEN": corp},
            ),
        }
        for name, measured in results.items():
            measured["ratio"] = round(measured["rps"] / baseline["rps"], 3)
            measured["goal"] = GOALS[name]
            measured["meets_goal"] = measured["ratio"] >= GOALS[name]
    finally:
        for process in processes:
            stop(process)
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)
    write_report(Path(__file__).parent, baseline, results)


if __name__ == "__main__":
    main()
