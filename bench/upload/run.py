"""Upload benchmark: a 200 MB material through the API vs the same bytes put directly to S3.

Starts SeaweedFS and the API (uvicorn, S3 storage, SQLite) on loopback, uploads the file
through ``POST /api/v1/me/materials`` and with boto3 ``put_object`` to the same server, each
``ROUNDS`` times, and records the server's peak RSS growth (VmHWM) during the API uploads.

    .venv/bin/python bench/upload/run.py          # writes bench/upload/result.json
"""

import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.seaweed import ThrowawaySeaweed  # noqa: E402
from tests.support.servers import start_api, stop  # noqa: E402

SIZE = 200 * 1024 * 1024
CHUNK = 1024 * 1024
ROUNDS = 3
BOUNDARY = "----msa-bench-boundary"


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _reset_peak(pid: int) -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def _body(path: Path):
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="msa-bench-upload-"))
    payload = work / "bench.pdf"
    with payload.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        for _ in range(SIZE // CHUNK):
            handle.write(os.urandom(CHUNK))
    seaweed = ThrowawaySeaweed()
    seaweed.start()
    server = None
    try:
        server, base = start_api(
            {
                "DATA_DIR": str(work / "data"),
                "STORAGE_BACKEND": "s3",
                "S3_ENDPOINT_URL": seaweed.endpoint,
                "S3_BUCKET": seaweed.bucket,
                "S3_ACCESS_KEY_ID": seaweed.access_key,
                "S3_SECRET_ACCESS_KEY": seaweed.secret_key,
                "MATERIAL_MAX_BYTES": str(SIZE + CHUNK),
                "MATERIAL_QUOTA_BYTES": str(10 * SIZE),
            }
        )
        with httpx.Client(base_url=base, timeout=300) as client:
            token = client.post(
                "/api/v1/auth/login/password", json={"username": "demo-corp", "password": "Demo@12345"}
            ).json()["access_token"]
            pid = server.pid  # scripts/serve execs uvicorn: the process started is the server
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            }
            api_seconds, growth = [], []
            for _ in range(ROUNDS):
                _reset_peak(pid)
                before = _kib(pid, "VmRSS")
                started = time.perf_counter()
                response = client.post("/api/v1/me/materials", content=_body(payload), headers=headers)
                api_seconds.append(time.perf_counter() - started)
                assert response.status_code == 201, response.text
                growth.append(_kib(pid, "VmHWM") - before)
                client.delete(
                    f"/api/v1/me/materials/{response.json()['id']}",
                    headers={"Authorization": f"Bearer {token}"},
                )
        s3 = seaweed.client()
        direct_seconds = []
        for round_number in range(ROUNDS):
            started = time.perf_counter()
            with payload.open("rb") as handle:
                s3.put_object(
                    Bucket=seaweed.bucket, Key=f"direct/{round_number}-{secrets.token_hex(4)}", Body=handle
                )
            direct_seconds.append(time.perf_counter() - started)
    finally:
        if server is not None:
            stop(server)
        seaweed.stop()
        payload.unlink(missing_ok=True)

    mib = SIZE / (1024 * 1024)
    result = {
        "size_mib": mib,
        "rounds": ROUNDS,
        "api_mib_per_s": round(mib / min(api_seconds), 1),
        "direct_mib_per_s": round(mib / min(direct_seconds), 1),
        "throughput_ratio": round(min(direct_seconds) / min(api_seconds), 2),
        "peak_rss_growth_mib": round(max(growth) / 1024, 1),
        "goal": {"throughput_ratio": ">= 0.7", "peak_rss_growth_mib": "<= 32"},
    }
    (Path(__file__).parent / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
