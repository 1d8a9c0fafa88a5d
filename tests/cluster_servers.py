"""`python -m bot serve --replicas 2` started for a test module: nginx in front, two Rasa replicas each with
its own action server and door, the web tier, on a PostgreSQL database and a Redis the module chooses.

Which replica served a request is read from nginx's own log ($upstream_addr), so the tests know, rather than
assume, that consecutive messages of one conversation landed on different replicas.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests
from sqlalchemy import create_engine, text

from bot import cluster, serve, settings
from bot.supervisor import HttpGet, free_port, wait_until_ready
from tests.servers import MODEL, descendants, isolated_environment

# Two Rasa servers load their models one after the other, on two shared cores: be generous.
STARTUP_SECONDS = 900.0
STARTED = "Assistant starting"


@dataclass
class Cluster:
    process: subprocess.Popen
    port: int
    log: Path
    database_url: str
    pseudonym_secret: str
    env: Dict[str, str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return cluster.RUN_DIR / str(self.port) / "access.log"

    def doors(self) -> List[int]:
        """The replicas' door ports, from serve's start-up line."""
        line = next(line for line in self.log.read_text(errors="replace").splitlines() if STARTED in line)
        return [int(port) for port in re.findall(r"door :(\d+)", line)]

    def rasa_ports(self) -> List[int]:
        line = next(line for line in self.log.read_text(errors="replace").splitlines() if STARTED in line)
        return [int(port) for port in re.findall(r"Rasa :(\d+)", line)]

    def say(self, sender: str, message: str, url: str | None = None) -> List[dict]:
        logged = len(self.replicas_of_webhook_posts()) if url is None else 0
        response = requests.post(f"{url or self.url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=120)
        assert response.status_code == 200, response.text
        if url is None:
            # nginx writes its access log line after the reply has gone, so a test reading the log straight
            # away could miss the last request: wait for the line.
            deadline = time.monotonic() + 10
            while len(self.replicas_of_webhook_posts()) <= logged and time.monotonic() < deadline:
                time.sleep(0.05)
        return response.json()

    def replicas_of_socketio_requests(self) -> List[str]:
        """The upstream of every socket.io request nginx has served (a websocket's when it closed), in order."""
        return [line.split()[-1] for line in self.access_log.read_text().splitlines() if " /socket.io/ " in line]

    def rasa_server_pid(self, replica: int) -> int:
        """The process id of a replica's Rasa server (replicas count from 1)."""
        port = self.rasa_ports()[replica - 1]
        found = [pid for pid in descendants(self.process.pid)
                 if b"bot.rasa_launcher" in _cmdline(pid) and f"\0--port\0{port}\0".encode() in _cmdline(pid)]
        assert len(found) == 1, found
        return found[0]

    def replicas_of_webhook_posts(self) -> List[str]:
        """The upstream of every REST webhook request nginx has served, in order."""
        return [line.split()[-1] for line in self.access_log.read_text().splitlines()
                if " POST /webhooks/rest/webhook " in line]

    def events(self, sender: str) -> List[Dict]:
        """The conversation's stored events in order, as the redacting tracker store keeps them."""
        from bot.privacy import pseudonym

        saved = os.environ.get("PSEUDONYM_SECRET")
        os.environ["PSEUDONYM_SECRET"] = self.pseudonym_secret
        pseudonym._key.cache_clear()
        try:
            stored = pseudonym.pseudonymise(sender)
        finally:
            if saved is None:
                os.environ.pop("PSEUDONYM_SECRET")
            else:
                os.environ["PSEUDONYM_SECRET"] = saved
            pseudonym._key.cache_clear()
        engine = create_engine(self.database_url, future=True)
        try:
            with engine.connect() as connection:
                rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
                                          {"sender": stored}).all()
        finally:
            engine.dispose()
        return [json.loads(data) for (data,) in rows]


@contextlib.contextmanager
def started_cluster(directory: Path, database_url: str, redis_url: str,
                    extra_env: Dict[str, str] | None = None, replicas: int = 2) -> Iterator[Cluster]:
    """Replicas behind nginx until the block ends; then stopped, and checked to have stopped cleanly."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does) first", pytrace=False)
    try:
        cluster.nginx_executable()
    except settings.ConfigurationError as error:
        pytest.fail(f"{error} (`make run-cluster` or `apt-get install nginx`)", pytrace=False)
    port, secret = free_port(), secrets.token_hex(16)
    env = {**serve.environment(), **isolated_environment(directory, database_url),
           "REDIS_URL": redis_url, "PSEUDONYM_SECRET": secret,
           "QUIZ_ORDER": "fixed", "QUIZ_LENGTH": "3",  # the first three scenarios of core.yml: answers b, c, b
           **(extra_env or {})}
    env.pop("ALLOWED_ORIGINS", None)
    log = directory / "serve.log"
    command = [sys.executable, "-m", "bot", "serve", "--model", str(MODEL), "--replicas", str(replicas),
               "--web-port", str(port)]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=settings.ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    running = Cluster(process, port, log, database_url, secret, env)
    try:
        wait_until_ready("the cluster", process,
                         [HttpGet(f"{running.url}/health", require_200=True), lambda: STARTED in log.read_text()],
                         STARTUP_SECONDS)
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=120)
        assert code == 0, log.read_text(errors="replace")[-3000:]
        try:
            requests.get(f"{running.url}/health", timeout=2)
        except requests.ConnectionError:
            pass
        else:
            raise AssertionError(f"nginx still answers on {port} after serve stopped")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # gone since it was listed
        return b""


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
