"""Starts the real Rasa and action servers (and the web app) for end-to-end tests, under one Supervisor."""
from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Set

import pytest
import requests

from bot import serve, settings
from bot.supervisor import READY_TIMEOUT_SECONDS, HttpGet, Service, Supervisor, free_port, wait_until_ready

MODEL = settings.ROOT / "models" / f"{settings.partnership_id()}.tar.gz"


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = READY_TIMEOUT_SECONDS) -> None:
    """For servers the tests start themselves: GET url answers below 500, or the process exits (an error)."""
    wait_until_ready("server", process, [HttpGet(url)], timeout)


def gone(pid: int, timeout: float = 30.0) -> bool:
    """True once pid has exited (a zombie counts: an orphan waits for init to reap it), within timeout."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return True
        if stat.rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def descendants(pid: int) -> Set[int]:
    """Every live process below pid: its children, theirs, and so on (read from /proc)."""
    children: Dict[int, List[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if fields[0] not in ("Z", "X"):
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: Set[int] = set()
    waiting = [pid]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return found


def isolated_environment(directory: Path, database_url: str | None = None) -> Dict[str, str]:
    """Databases, spool and pseudonym key of one test run, away from the developer's var/."""
    return {
        "DATABASE_URL": database_url or f"sqlite:///{directory / 'querylog.db'}",
        "TRACKER_DATABASE_URL": database_url or f"sqlite:///{directory / 'tracker.db'}",
        "QUERYLOG_SPOOL": str(directory / "spool" / "querylog.jsonl"),
        "PSEUDONYM_KEY_FILE": str(directory / "pseudonym.key"),
    }


@contextlib.contextmanager
def web_app(port: int, rasa_port: int, env: Dict[str, str], log: Path) -> Iterator[str]:
    """`python -m bot web` alone, under a Supervisor (its group killed when done); yields its address."""
    service = Service("web", serve.web_command(port, rasa_port), env, settings.ROOT,
                      (HttpGet(f"http://127.0.0.1:{port}/health"),), log, timeout=60)
    with Supervisor([service]) as supervisor:
        supervisor.start_all()
        yield f"http://127.0.0.1:{port}"


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
    supervisor: Supervisor = field(default_factory=Supervisor)
    web_port: int | None = None

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    def environment(self) -> Dict[str, str]:
        return {**serve.environment(), **self.env}

    def _start(self, name: str, command: List[str], ready_url: str, timeout: float = READY_TIMEOUT_SECONDS,
               env: Dict[str, str] | None = None) -> None:
        """Started as asked now: a service started before with another command (another port) is re-registered."""
        service = Service(name, command, env or self.environment(), settings.ROOT, (HttpGet(ready_url),),
                          self.log_dir / f"{name}.log", timeout)
        if name not in self.supervisor:
            self.supervisor.add(service)
        elif self.supervisor.services[name] != service:
            self.supervisor.replace(service)  # refused while the old one runs: stop it first
        self.supervisor.start(name)

    def migrate(self) -> None:
        subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=settings.ROOT,
                       env=self.environment(), check=True, capture_output=True, timeout=120)

    def start_actions(self) -> None:
        self._start("actions", serve.actions_command(self.actions_port),
                    f"http://127.0.0.1:{self.actions_port}/health",
                    env=serve.actions_environment(self.environment()))

    def stop_actions(self) -> None:
        self.supervisor.stop("actions")

    def start_rasa(self) -> None:
        endpoints = serve.write_endpoints(self.log_dir / "endpoints.yml", self.actions_port, self.environment())
        self._start("rasa", serve.rasa_command(MODEL, self.rasa_port, endpoints, self.environment()),
                    f"http://127.0.0.1:{self.rasa_port}/")

    def start_web(self, port: int | None = None) -> str:
        """The web app in front of this Rasa server; returns its address (on the port it ran on before, if any)."""
        if port is None:
            port = self.web_port or free_port()
        self._start("web", serve.web_command(port, self.rasa_port), f"http://127.0.0.1:{port}/health", timeout=60)
        self.web_port = port
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.supervisor.stop_all()

    def say(self, sender: str, text: str) -> List[dict]:
        response = requests.post(self.webhook, json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.log_dir.glob("*.log"))


def joined(replies: List[dict]) -> str:
    """The text of a REST reply's messages, one per line."""
    return "\n".join(reply.get("text", "") for reply in replies)


def answer_button(replies: List[dict], letter: str) -> str:
    """The payload of the quiz answer button for `letter` among a REST reply's buttons."""
    for reply in replies:
        for button in reply.get("buttons", []):
            if button["payload"].startswith("/quiz_answer") and \
                    json.loads(button["payload"][len("/quiz_answer"):])["quiz_choice"] == letter:
                return button["payload"]
    raise AssertionError(f"no answer button {letter} in {replies}")
