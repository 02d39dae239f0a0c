"""Real server processes on loopback for tests and benchmarks: free ports, start, wait, stop."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_ports(count: int) -> list[int]:
    """Distinct ports nobody listens on right now (all held open together, so no repeats)."""
    sockets = []
    for _ in range(count):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        sockets.append(probe)
    ports = [probe.getsockname()[1] for probe in sockets]
    for probe in sockets:
        probe.close()
    return ports


def start(
    command: list[str], environment: dict[str, str], probe_url: str, timeout: float = 120
) -> subprocess.Popen:
    """Start ``command`` in its own process group and wait until ``probe_url`` answers at all."""
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env={**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", **environment},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(probe_url, timeout=2)
            return process
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                stop(process)
                raise RuntimeError(f"{command[0]} did not start") from None
            time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def start_api(environment: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """The API as `make run` starts it (scripts/serve: migrate, seed, serve); its base URL.

    scripts/serve execs uvicorn, so the process returned is the server itself. The server
    only listens once migrations and seed data are done, so the first answer means ready.
    """
    (port,) = free_ports(1)
    settings = {"HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "WARNING", **environment}
    base = f"http://127.0.0.1:{port}"
    return start(["scripts/serve"], settings, f"{base}/healthz"), base
