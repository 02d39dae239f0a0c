"""Bulk load: how fast do pushed certificates go in, and does memory stay flat?

Starts a throwaway PostgreSQL 15 and the API on it (uvicorn, one worker, loopback), registers
the people and companies some certificates belong to, writes ``--count`` certificates as
NDJSON (bench/certificates/generate.py: deterministic, ~1 % of lines refused) and loads them
twice, each time into an empty certificate table:

1. through ``POST /api/v1/registry/certificates/bulk``, the client streaming the file as a
   machine client of the national registry (scope certificates:write);
2. through ``python -m app.cli certificates-load FILE`` on the same database.

For each: wall time, certificates (lines) per second, and the resident memory of the loading
process (the server, or the command) sampled every 0.2 s — shown at 10 %, 50 % and 100 % of the
run, with its peak (``VmHWM``, reset before the run). Goal: ≥ 5,000 certificates/s, flat memory.

    .venv/bin/python bench/certificates/run.py               # 1,000,000 certificates
    .venv/bin/python bench/certificates/run.py --count 100000  # a quick run
"""

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.accounts.models import CorporateProfile, PersonalProfile, User  # noqa: E402
from app.accounts.service import OPERATOR_ID, PERSONAL_ID  # noqa: E402
from app.core.auth import Role, Scope  # noqa: E402
from app.core.config import Settings  # noqa: E402
from app.core.db import create_engine, create_sessionmaker  # noqa: E402
from app.core.pii import PersonalDataCipher  # noqa: E402
from bench.certificates import generate  # noqa: E402
from tests.support.clients import registered_client  # noqa: E402
from tests.support.postgres import ThrowawayPostgres  # noqa: E402
from tests.support.servers import VENV_BIN, start_api, stop  # noqa: E402

GOAL_PER_SECOND = 5_000
SAMPLE_EVERY = 0.2
SEND_CHUNK = 256 * 1024
MARKS = (0.1, 0.5, 1.0)


class MemorySampler:
    """``VmRSS`` of a process every 0.2 s while it loads, and its ``VmHWM`` at the end."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _status(self, key: str) -> int | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def start(self) -> None:
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")  # resets VmHWM to VmRSS
        except OSError:
            pass
        self.before = self._status("VmRSS")
        self.started = time.monotonic()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY):
            rss = self._status("VmRSS")
            if rss is not None:
                self.samples.append((time.monotonic() - self.started, rss))

    def finish(self) -> dict:
        self.peak = self._status("VmHWM")
        self._stop.set()
        self._thread.join()
        return self.report()

    def report(self) -> dict:
        elapsed = self.samples[-1][0] if self.samples else 0.0

        def at(fraction: float) -> float | None:
            if not self.samples:
                return None
            moment = min(self.samples, key=lambda sample: abs(sample[0] - fraction * elapsed))
            return _mib(moment[1])

        return {
            "rss_before_mib": _mib(self.before),
            **{f"rss_at_{int(mark * 100)}pct_mib": at(mark) for mark in MARKS},
            "rss_peak_sampled_mib": _mib(max(rss for _, rss in self.samples)) if self.samples else None,
            "vm_hwm_mib": _mib(self.peak),
            "samples": len(self.samples),
        }


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int, *, with_children: bool = False) -> float:
    """utime + stime of a process (and of its children that have exited)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def postgres_cpu_seconds(postgres: ThrowawayPostgres) -> float:
    """CPU time of the throwaway cluster: its postmaster (with exited backends) and every live
    process it started (backends, writers, WAL writer)."""
    postmaster = int((postgres.data / "postmaster.pid").read_text().split()[0])
    total = _cpu_seconds(postmaster, with_children=True)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def _load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def _mib(value: int | None) -> float | None:
    return None if value is None else round(value / 1024 / 1024, 1)


async def _register(settings: Settings) -> dict[str, str]:
    """The registered holders (by blind index / credit code, as sign-up stores them) and a
    national machine client; the client's Authorization header."""
    pii = PersonalDataCipher(*settings.pii_keys)
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            users, people, companies = [], [], []
            for n, (kind, name, identifier) in enumerate(generate.holders()):
                user_id = f"bench-holder-{n:06d}"
                role = Role.personal if kind == "person" else Role.corporate
                users.append({"id": user_id, "role": role.value, "display_name": name, "failed_logins": 0})
                if kind == "person":
                    people.append(
                        {
                            "user_id": user_id,
                            "name": name,
                            "id_number_encrypted": pii.encrypt(identifier, purpose=PERSONAL_ID),
                            "id_number_index": pii.blind_index(identifier, purpose=PERSONAL_ID),
                        }
                    )
                else:
                    operator = generate.person_id_number(9_000_000 + n)
                    companies.append(
                        {
                            "user_id": user_id,
                            "company_name": name,
                            "credit_code": identifier,
                            "kind": "company",
                            "operator_name": "经办人",
                            "operator_id_encrypted": pii.encrypt(operator, purpose=OPERATOR_ID),
                            "operator_id_index": pii.blind_index(operator, purpose=OPERATOR_ID),
                        }
                    )
            for model, rows in ((User, users), (PersonalProfile, people), (CorporateProfile, companies)):
                for start in range(0, len(rows), 2_000):
                    await session.execute(insert(model), rows[start : start + 2_000])
            _, headers = await registered_client(
                session, settings, scopes=[Scope.certificates_write], agency_code="CN", name="部海事局证照系统"
            )
            await session.commit()
    finally:
        await engine.dispose()
    return headers


async def _empty_certificates(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("TRUNCATE certificates, outbox_events CASCADE"))
    finally:
        await engine.dispose()


async def _count_certificates(settings: Settings) -> int:
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text("SELECT count(*) FROM certificates"))).scalar_one()
    finally:
        await engine.dispose()


async def _send(base: str, headers: dict[str, str], path: Path) -> tuple[dict, int]:
    async def body():
        with path.open("rb") as file:
            while chunk := file.read(SEND_CHUNK):
                yield chunk

    refused_lines = 0
    summary = None
    async with httpx.AsyncClient(base_url=base, timeout=None) as client:
        async with client.stream(
            "POST",
            "/api/v1/registry/certificates/bulk",
            content=body(),
            headers={**headers, "Content-Type": "application/x-ndjson"},
        ) as response:
            if response.status_code != 200:
                answer = (await response.aread())[:500]
                raise SystemExit(f"bulk load answered {response.status_code}: {answer!r}")
            async for line in response.aiter_lines():
                if not line:
                    continue
                report = json.loads(line)
                if "summary" in report:
                    summary = report["summary"]
                else:
                    refused_lines += 1
    if summary is None:
        raise SystemExit("the report ended without its summary line")
    return summary, refused_lines


def _result(count: int, seconds: float, summary: dict, memory: dict, stored: int, cpu: dict) -> dict:
    return {
        "seconds": round(seconds, 1),
        "certificates_per_second": round(count / seconds),
        "meets_goal": count / seconds >= GOAL_PER_SECOND,
        # The machine is shared: what the load cost in CPU, whatever else ran beside it.
        "cpu_seconds": cpu,
        "certificates_per_cpu_second": {
            name: round(count / used) for name, used in cpu.items() if name != "load_average" and used
        },
        "summary": summary,
        "certificates_stored": stored,
        "memory": memory,
    }


def _check(count: int, summary: dict) -> None:
    expected = generate.expected_refused(count)
    lines = summary["accepted"] + summary["unchanged"] + summary["refused"]
    if summary["refused"] != expected or lines != count:
        raise SystemExit(f"unexpected summary {summary}: {expected} refused lines expected of {count}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("endpoint", "cli"))
    parser.add_argument(
        "--dispatcher",
        choices=("external", "embedded"),
        default="external",
        help="the API's webhook dispatcher: external (a process of its own, not running here: the load "
        "alone) or embedded (fanning the load's events out in the loading process meanwhile)",
    )
    args = parser.parse_args()

    postgres = ThrowawayPostgres()
    postgres.start()
    work = Path(tempfile.mkdtemp(prefix="msa-bench-certificates-"))
    api = None
    results: dict = {}
    try:
        source = work / "certificates.ndjson"
        started = time.perf_counter()
        size = generate.write(source, args.count)
        took = time.perf_counter() - started
        print(f"generated {args.count} lines, {size / 1024 / 1024:.0f} MiB in {took:.0f} s", flush=True)
        database_url = postgres.create_database("msa_bulk")
        environment = {"DATA_DIR": str(work), "DATABASE_URL": database_url, "WEBHOOK_DISPATCHER": args.dispatcher}
        api, base = start_api(environment)
        settings = Settings(database_url=database_url, data_dir=work)
        headers = asyncio.run(_register(settings))

        if args.only in (None, "endpoint"):
            memory = MemorySampler(api.pid)
            memory.start()
            cpu_before = (_cpu_seconds(api.pid), postgres_cpu_seconds(postgres))
            started = time.perf_counter()
            summary, refused_lines = asyncio.run(_send(base, headers, source))
            seconds = time.perf_counter() - started
            cpu = {
                "loader": round(_cpu_seconds(api.pid) - cpu_before[0], 1),
                "postgresql": round(postgres_cpu_seconds(postgres) - cpu_before[1], 1),
                "load_average": _load_average(),
            }
            _check(args.count, summary)
            assert refused_lines == summary["refused"], (refused_lines, summary)
            results["endpoint"] = _result(
                args.count, seconds, summary, memory.finish(), asyncio.run(_count_certificates(settings)), cpu
            )
            print(json.dumps({"endpoint": results["endpoint"]}, ensure_ascii=False), flush=True)
            asyncio.run(_empty_certificates(settings))

        if args.only in (None, "cli"):
            report = work / "report.ndjson"
            command = [str(VENV_BIN / "python"), "-m", "app.cli", "certificates-load", str(source)]
            command += ["--report", str(report)]
            postgres_before = postgres_cpu_seconds(postgres)
            started = time.perf_counter()
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, **environment},
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            memory = MemorySampler(process.pid)
            memory.start()
            stdout = process.stdout.read()
            memory._stop.set()
            _, status, usage = os.wait4(process.pid, 0)  # its own peak: ru_maxrss (KiB)
            seconds = time.perf_counter() - started
            memory.peak = usage.ru_maxrss * 1024
            cpu = {
                "loader": round(usage.ru_utime + usage.ru_stime, 1),
                "postgresql": round(postgres_cpu_seconds(postgres) - postgres_before, 1),
                "load_average": _load_average(),
            }
            memory._thread.join()
            memory_report = memory.report()
            if os.waitstatus_to_exitcode(status) not in (0, 1):
                raise SystemExit(f"certificates-load failed: {stdout.decode()[-2000:]}")
            summary = json.loads(stdout.decode().strip().splitlines()[-1])["summary"]
            _check(args.count, summary)
            results["cli"] = _result(
                args.count, seconds, summary, memory_report, asyncio.run(_count_certificates(settings)), cpu
            )
            print(json.dumps({"cli": results["cli"]}, ensure_ascii=False), flush=True)
    finally:
        if api is not None:
            stop(api)
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}",
        "count": args.count,
        "ndjson_mib": round(size / 1024 / 1024),
        "goal_per_second": GOAL_PER_SECOND,
        "webhook_dispatcher": args.dispatcher,
        **results,
    }
    text_report = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    name = "result.json" if args.count == 1_000_000 else f"result-{args.count}.json"
    if args.dispatcher == "embedded":
        name = name.replace(".json", "-embedded-dispatcher.json")
    (Path(__file__).parent / name).write_text(text_report)
    print(text_report)


if __name__ == "__main__":
    main()
