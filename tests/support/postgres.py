"""A throwaway PostgreSQL 15 cluster in a temporary directory, on a free loopback port."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.servers import free_ports

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres_user(command: list[str]) -> list[str]:
    # initdb refuses to run as root (CI runs as root); the Debian package's user owns the cluster.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class ThrowawayPostgres:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="msa-pg-"))
        self.data = self.root / "data"
        (self.port,) = free_ports(1)

    @property
    def admin_url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            PG_BIN / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.resume()

    def pause(self) -> None:
        """Shut the server down as an outage would (connections cut), keeping its data."""
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.root / "log", "-w", "start")

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database, empty or a copy of ``template`` (which nobody may be connected to)."""
        copy = ["-T", template] if template else []
        self._run(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *copy, name)
        return self.url(name)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, *command) -> None:
        subprocess.run(
            _as_postgres_user([str(part) for part in command]),
            check=True,
            capture_output=True,
            cwd=self.root,
            timeout=120,
        )
