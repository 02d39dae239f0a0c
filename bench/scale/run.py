"""Scale: do 我的办件, the staff queue and 办件查询 stay as fast at 1M applications as at 10k?

Starts a throwaway PostgreSQL 15 and the API on it (one uvicorn worker), loads 10,000
applications for 2,000 users (bench/scale/generate.py), measures the p95 latency of each
read, grows the data to 1,000,000 applications for 200,000 users and measures again.
Goal: p95 at 1M ≤ 1.5 × p95 at 10k.

Each measurement is a bounded number of requests (``BENCH_SCALE_REQUESTS``, 600 by
default, after 60 warm-up requests) from 4 concurrent clients, over many users' tokens
and many application numbers, so no single cached page or row answers them all.

    .venv/bin/python bench/scale/run.py       # writes bench/scale/result.json
"""

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import quantiles

import httpx
from sqlalchemy import select, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.accounts.models import User  # noqa: E402
from app.applications.service import CONTACT_PHONE  # noqa: E402
from app.auth import tokens  # noqa: E402
from app.core.config import Settings  # noqa: E402
from app.core.db import create_engine, create_sessionmaker  # noqa: E402
from app.core.pii import PersonalDataCipher  # noqa: E402
from bench.scale.generate import load  # noqa: E402
from tests.support.postgres import ThrowawayPostgres  # noqa: E402
from tests.support.servers import start_api, stop  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_SCALE_REQUESTS", "600"))
WARM_UP = 60
CLIENTS = 4
SAMPLE = 200  # users with a token, application numbers to look up
PHONE = "13800138000"
GOAL = 1.5
SCALES = (("10k", 2_000, 10_000), ("1M", 198_000, 990_000))  # added on top of the previous one


async def _tokens_and_numbers(settings: Settings) -> tuple[list[str], str, list[str]]:
    """Access tokens for a sample of generated users and for demo-staff-sh, started the way
    a sign-in starts them; application numbers to look up."""
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            user_ids = list(
                await session.scalars(
                    text("SELECT id FROM users WHERE id LIKE 'bench-user-%' ORDER BY random() LIMIT :n"),
                    {"n": SAMPLE},
                )
            )
            users = list(await session.scalars(select(User).where(User.id.in_(user_ids))))
            staff = await session.scalar(select(User).where(User.username == "demo-staff-sh"))
            citizen_tokens = [
                (await tokens.start_session(session, settings, user)).access_token for user in users
            ]
            staff_token = (await tokens.start_session(session, settings, staff)).access_token
            numbers = list(
                await session.scalars(
                    text(
                        "SELECT number FROM applications WHERE number IS NOT NULL ORDER BY random() LIMIT :n"
                    ),
                    {"n": SAMPLE},
                )
            )
            await session.commit()
    finally:
        await engine.dispose()
    return citizen_tokens, staff_token, numbers


async def _p95(base: str, request) -> dict:
    """p95/p50 in ms of ``REQUESTS`` calls of ``request(client, i)`` from ``CLIENTS`` clients;
    any answer but 200 stops the benchmark (a fast error is not a measurement)."""
    latencies: list[float] = []
    counter = iter(range(WARM_UP + REQUESTS))

    async def client_loop(client: httpx.AsyncClient) -> None:
        for i in counter:
            started = time.perf_counter()
            response = await request(client, i)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{response.request.url}: {response.status_code} {response.text[:300]}")
            if i >= WARM_UP:
                latencies.append(elapsed)

    async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=30) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(CLIENTS)))
    cuts = quantiles(latencies, n=100)
    return {"p50_ms": round(cuts[49], 2), "p95_ms": round(cuts[94], 2)}


async def _measure(base: str, settings: Settings) -> dict:
    citizens, staff, numbers = await _tokens_and_numbers(settings)

    def bearer(token: str) -> dict:
        return {"Authorization": f"Bearer {token}"}

    reads = {
        "我的办件": lambda c, i: c.get("/me/applications", headers=bearer(citizens[i % len(citizens)])),
        "staff queue": lambda c, i: c.get("/staff/applications", headers=bearer(staff)),
        "staff queue 待受理": lambda c, i: c.get(
            "/staff/applications", params={"status": "submitted"}, headers=bearer(staff)
        ),
        "办件查询": lambda c, i: c.post(
            "/public/progress", json={"application_no": numbers[i % len(numbers)], "phone": PHONE}
        ),
    }
    return {name: await _p95(base, request) for name, request in reads.items()}


async def _run(database_url: str, base: str, settings: Settings) -> dict:
    cipher = PersonalDataCipher(*settings.pii_keys)
    phone_index = cipher.blind_index(PHONE, purpose=CONTACT_PHONE)
    measured, first_user = {}, 1
    for scale, users, applications in SCALES:
        started = time.perf_counter()
        await load(
            database_url,
            users=users,
            applications=applications,
            phone_index=phone_index,
            first_user=first_user,
        )
        first_user += users
        print(f"{scale}: loaded in {time.perf_counter() - started:.0f} s", flush=True)
        measured[scale] = await _measure(base, settings)
        print(json.dumps(measured[scale], ensure_ascii=False), flush=True)
    small, large = (measured[scale] for scale, _, _ in SCALES)
    return {
        name: {
            "p95_10k_ms": small[name]["p95_ms"],
            "p95_1M_ms": large[name]["p95_ms"],
            "ratio": round(large[name]["p95_ms"] / small[name]["p95_ms"], 2),
            "goal": GOAL,
            "meets_goal": large[name]["p95_ms"] <= GOAL * small[name]["p95_ms"],
        }
        for name in small
    }


def main() -> None:
    postgres = ThrowawayPostgres()
    postgres.start()
    work = Path(tempfile.mkdtemp(prefix="msa-bench-scale-"))
    api = None
    try:
        database_url = postgres.create_database("msa_scale")
        environment = {
            "DATA_DIR": str(work),
            "DATABASE_URL": database_url,
            "PUBLIC_QUERIES_PER_MINUTE": "100000000",
        }
        api, base = start_api(environment)
        settings = Settings(database_url=database_url, data_dir=work)
        results = asyncio.run(_run(database_url, base, settings))
    finally:
        if api is not None:
            stop(api)
        postgres.stop()
    report = {
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}",
        "requests": REQUESTS,
        "clients": CLIENTS,
        "reads": results,
    }
    text_report = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    (Path(__file__).parent / "result.json").write_text(text_report)
    print(text_report)


if __name__ == "__main__":
    main()
