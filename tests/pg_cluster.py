"""A private PostgreSQL server for tests that stop and start the database mid-run.

It uses the machine's PostgreSQL binaries but its own data directory and port,
so stopping it never disturbs the shared server at 127.0.0.1:5432.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator, List

import pytest

from bot.supervisor import free_port

HINT = "PostgreSQL's server binaries (initdb, pg_ctl) are needed: `apt-get install postgresql`."


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found and shutil.which("pg_ctl"):
        return Path(shutil.which("pg_ctl")).parent  # type: ignore[arg-type]
    if not found:
        pytest.fail(HINT, pytrace=False)
    return Path(found[-1]).parent


class PrivatePostgres:
    def __init__(self, base: Path, port: int) -> None:
        self.base, self.port = base, port
        self.data = base / "data"
        self.bin = _bin_dir()
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root

    def _run(self, command: List[str]) -> None:
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed: {result.stderr.strip()[-400:]}", pytrace=False)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def create(self) -> PrivatePostgres:
        self.base.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.base, "postgres", "postgres")
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"])
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                   str(self.base / "server.log"), "-w", "start"])

    def stop(self) -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


@contextlib.contextmanager
def running_private_postgres() -> Iterator[PrivatePostgres]:
    """A new server, started; stopped and removed afterwards."""
    # not under pytest's tmp dir: that is private to root, and the server runs as postgres
    server = PrivatePostgres(Path(tempfile.mkdtemp(prefix="assistant-pg-")), free_port()).create()
    server.start()
    try:
        yield server
    finally:
        server.destroy()
