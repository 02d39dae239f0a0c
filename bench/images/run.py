"""Image upload benchmark: peak RSS growth of the server for the worst image it accepts.

For each kind of image (1-bit, grey, palette, 16-bit grey, RGB, RGBA and interlaced RGBA
PNG; baseline and progressive JPEG), the largest square the header check accepts is found
with the server's own check, the file is made, and a fresh API process (uvicorn, one worker,
local storage, SQLite) receives it through ``POST /api/v1/me/materials`` — the real path:
streamed, filtered, stored, thumbnailed. Before the measured upload the server has taken
one small PNG and one small JPEG, so that loading the codecs is not counted. The growth is
``VmHWM`` (reset just before) minus ``VmRSS`` before the upload. The audit's bomb (10000×11000
1-bit) is sent last and must be refused.

    .venv/bin/python bench/images/run.py          # writes bench/images/result.json
"""

import io
import json
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.materials import images  # noqa: E402
from app.materials.file_types import FILE_TYPES  # noqa: E402
from tests.support import crafted_images as crafted  # noqa: E402
from tests.support.servers import start_api, stop  # noqa: E402

GOAL_MIB = 64
MIB = 1024 * 1024
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux >= 4.0)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(side: int, colour: int, depth: int, interlace: int = 0) -> bytes:
    ihdr = struct.pack(">IIBBBBB", side, side, depth, colour, 0, 0, interlace)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr)


def _accepted(header: bytes, file_type: str) -> bool:
    try:
        images.metadata_filter(FILE_TYPES[file_type]).feed(header)
    except images.ImageTooLarge:
        return False
    return True


def _largest_side(header_for) -> int:
    """The largest square side the server's header check accepts (binary search)."""
    low, high = 1, 65_535
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if header_for(middle) else (low, middle - 1)
    return low


def png(side: int, colour: int, depth: int, interlace: int = 0) -> bytes:
    """A side×side PNG with a diagonal gradient (compressible: files stay under the cap)."""
    row_bytes = -(-side * CHANNELS[colour] * depth // 8)
    pattern = bytes(range(256)) * (row_bytes // 256 + 2)
    compressor = zlib.compressobj(6)
    parts = []
    if interlace:  # Adam7: seven reduced pictures, one after the other
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2)]
        for x0, y0, dx, dy in [*passes, (0, 1, 1, 2)]:
            width = len(range(x0, side, dx))
            length = -(-width * CHANNELS[colour] * depth // 8)
            for y in range(y0, side, dy):
                parts.append(compressor.compress(b"\x00" + pattern[y % 256 : y % 256 + length]))
    else:
        for y in range(side):
            parts.append(compressor.compress(b"\x00" + pattern[y % 256 : y % 256 + row_bytes]))
    parts.append(compressor.flush())
    palette = _chunk(b"PLTE", bytes(range(256)) * 3) if colour == 3 else b""
    return (
        _png_header(side, colour, depth, interlace)
        + palette
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def jpeg(width: int, height: int, **options) -> bytes:
    gradient = Image.linear_gradient("L").resize((width, height))
    picture = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_180), gradient))
    del gradient
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, **options)
    return out.getvalue()


def _jpeg_header_for(progressive: bool, subsampling: int):
    small = crafted.jpeg(progressive=progressive, subsampling=subsampling)
    return lambda side: _accepted(crafted.with_frame_size(small, side, side), "jpeg")


def cases() -> list[tuple[str, str, Callable[[], bytes]]]:
    """(name, file name, maker of the bytes) for the worst accepted image of each kind."""
    found = []
    for label, colour, depth, interlace in [
        ("PNG 1-bit grey", 0, 1, 0),
        ("PNG 8-bit grey", 0, 8, 0),
        ("PNG 8-bit palette", 3, 8, 0),
        ("PNG 16-bit grey", 0, 16, 0),
        ("PNG RGB", 2, 8, 0),
        ("PNG RGBA", 6, 8, 0),
        ("PNG RGBA interlaced", 6, 8, 1),
    ]:
        side = _largest_side(
            lambda s, c=colour, d=depth, i=interlace: _accepted(_png_header(s, c, d, i), "png")
        )
        make = lambda s=side, c=colour, d=depth, i=interlace: png(s, c, d, i)  # noqa: E731
        found.append((f"{label} {side}×{side}", "b.png", make))
    # Baseline JPEG: the decode is shrunk 8 times; the cap is the absolute pixel limit.
    width = 12_000
    height = images.MAX_PIXELS // width
    for label, subsampling in [("4:2:0", 2), ("4:4:4", 0)]:
        make = lambda sub=subsampling: jpeg(width, height, subsampling=sub)  # noqa: E731
        found.append((f"JPEG baseline {label} {width}×{height}", "b.jpg", make))
    for label, subsampling in [("4:2:0", 2), ("4:4:4", 0)]:
        side = _largest_side(_jpeg_header_for(True, subsampling))
        found.append(
            (
                f"JPEG progressive {label} {side}×{side}",
                "b.jpg",
                lambda s=side, sub=subsampling: jpeg(s, s, progressive=True, subsampling=sub),
            )
        )
    return found


def _upload(client: httpx.Client, token: str, name: str, data: bytes) -> httpx.Response:
    return client.post(
        "/api/v1/me/materials",
        files={"file": (name, data, "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}"},
    )


def measure(work: Path, name: str, data: bytes) -> dict:
    """One upload of ``data`` to a fresh server: status, seconds, peak RSS growth."""
    server = None
    try:
        server, base = start_api({"DATA_DIR": str(work / f"data-{time.monotonic_ns()}")})
        with httpx.Client(base_url=base, timeout=300) as client:
            token = client.post(
                "/api/v1/auth/login/password", json={"username": "demo-corp", "password": "Demo@12345"}
            ).json()["access_token"]
            warm_ups = [("w.png", crafted.png_bomb(640, 480, colour=2, depth=8)), ("w.jpg", crafted.jpeg())]
            for warm_up in warm_ups:
                response = _upload(client, token, *warm_up)
                assert response.status_code == 201, response.text
            pid = server.pid
            _reset_peak(pid)
            before = _kib(pid, "VmRSS")
            started = time.perf_counter()
            response = _upload(client, token, name, data)
            seconds = time.perf_counter() - started
            growth = _kib(pid, "VmHWM") - before
    finally:
        if server is not None:
            stop(server)
    return {
        "status": response.status_code,
        "code": response.json().get("code") if response.status_code != 201 else None,
        "file_kib": round(len(data) / 1024, 1),
        "seconds": round(seconds, 2),
        "peak_rss_growth_mib": round(growth / 1024, 1),
    }


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="msa-bench-images-"))
    results = {}
    for label, name, make in cases():
        data = make()
        results[label] = measure(work, name, data)
        del data
        print(label, results[label], flush=True)
        assert results[label]["status"] == 201, results[label]
    bomb = "refused: the audit's PNG bomb 10000×11000 1-bit"
    results[bomb] = measure(work, "bomb.png", crafted.png_bomb(10_000, 11_000))
    print(bomb, results[bomb], flush=True)
    assert results[bomb]["status"] == 413
    worst = max(r["peak_rss_growth_mib"] for r in results.values())
    report = {
        "decode_budget_mib": images.DECODE_BUDGET // MIB,
        "max_pixels": images.MAX_PIXELS,
        "goal_peak_rss_growth_mib": f"<= {GOAL_MIB}",
        "worst_peak_rss_growth_mib": worst,
        "cases": results,
    }
    text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    (Path(__file__).parent / "result.json").write_text(text)
    print(text)
    if worst > GOAL_MIB:
        raise SystemExit(f"peak RSS growth {worst} MiB exceeds the goal of {GOAL_MIB} MiB")


if __name__ == "__main__":
    main()
