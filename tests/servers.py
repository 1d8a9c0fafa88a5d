"""Starts the real Rasa and action servers for end-to-end tests."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests

from bot import serve, settings

MODEL = settings.ROOT / "models" / f"{settings.partnership_id()}.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url} was up")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise TimeoutError(f"{url} not up after {timeout}s")


def isolated_environment(directory: Path, database_url: str | None = None) -> Dict[str, str]:
    """Databases, spool and pseudonym key of one test run, away from the developer's var/."""
    return {
        "DATABASE_URL": database_url or f"sqlite:///{directory / 'querylog.db'}",
        "TRACKER_DATABASE_URL": database_url or f"sqlite:///{directory / 'tracker.db'}",
        "QUERYLOG_SPOOL": str(directory / "spool" / "querylog.jsonl"),
        "PSEUDONYM_KEY_FILE": str(directory / "pseudonym.key"),
    }


@contextlib.contextmanager
def running(
    directory: Path, database_url: str | None = None, extra_env: Dict[str, str] | None = None
) -> Iterator[Servers]:
    """Action server and Rasa server on free ports, with their own databases; stopped afterwards."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does) first", pytrace=False)
    env = {**isolated_environment(directory, database_url), **(extra_env or {})}
    servers = Servers(free_port(), free_port(), directory, env)
    try:
        servers.migrate()
        servers.start_actions()
        servers.start_rasa()
        yield servers
    finally:
        servers.stop()


@dataclass
class Servers:
    rasa_port: int
    actions_port: int
    log_dir: Path
    env: Dict[str, str] = field(default_factory=dict)
    processes: List[subprocess.Popen] = field(default_factory=list)
    actions: subprocess.Popen | None = None

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    def environment(self) -> Dict[str, str]:
        return {**serve.environment(), **self.env}

    def _start(self, command: List[str], name: str, env: Dict[str, str] | None = None) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("a")
        process = subprocess.Popen(
            command, cwd=settings.ROOT, env=env or self.environment(), stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def migrate(self) -> None:
        subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=settings.ROOT,
                       env=self.environment(), check=True, capture_output=True, timeout=120)

    def start_actions(self) -> None:
        self.actions = self._start(serve.actions_command(self.actions_port), "actions",
                                   serve.actions_environment(self.environment()))
        wait_until_up(f"http://127.0.0.1:{self.actions_port}/health", self.actions)

    def stop_actions(self) -> None:
        if self.actions and self.actions.poll() is None:
            self.actions.terminate()
            self.actions.wait(timeout=30)

    def start_rasa(self) -> None:
        endpoints = serve.write_endpoints(self.log_dir / "endpoints.yml", self.actions_port)
        rasa = self._start(serve.rasa_command(MODEL, self.rasa_port, endpoints, self.environment()), "rasa")
        wait_until_up(f"http://127.0.0.1:{self.rasa_port}/", rasa)

    def start_web(self, port: int | None = None) -> str:
        """The web app in front of this Rasa server; returns its address."""
        port = port or free_port()
        web = self._start(serve.web_command(port, self.rasa_port), "web")
        wait_until_up(f"http://127.0.0.1:{port}/health", web, timeout=60)
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def say(self, sender: str, text: str) -> List[dict]:
        response = requests.post(self.webhook, json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.log_dir.glob("*.log"))
