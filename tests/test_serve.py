"""`python -m bot serve` (what `make run` starts): three servers up, answering through port 8080, stopped together."""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Callable, List

import jwt
import pytest
import requests

from bot import serve, settings
from bot.supervisor import Exit, Service, Supervisor
from tests.servers import MODEL, descendants, free_port, gone, isolated_environment, wait_until_up


def test_serve_starts_the_web_app_rasa_and_actions_and_stops_them(tmp_path: Path) -> None:
    """With Rasa's HTTP API on: its token and JWT secret work, and no process's command line shows them."""
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    token, jwt_secret = f"token-{secrets.token_hex(16)}", f"jwt-{secrets.token_hex(16)}"
    env = {**serve.environment(), **isolated_environment(tmp_path),
           "ALLOWED_ORIGINS": f"http://127.0.0.1:{web_port}",
           "RASA_ENABLE_API": "true", "RASA_API_TOKEN": token, "RASA_JWT_SECRET": jwt_secret}
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=settings.ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    command = [sys.executable, "-m", "bot", "serve", "--model", str(MODEL), "--port", str(rasa_port),
               "--actions-port", str(actions_port), "--web-port", str(web_port)]
    with (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen(command, cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        web = f"http://127.0.0.1:{web_port}"
        wait_until_up(f"{web}/health", process)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", process)
        page = requests.get(f"{web}/", timeout=10)
        assert page.status_code == 200 and "<form" in page.text
        reply = requests.post(f"{web}/webhooks/rest/webhook", json={"sender": "serve-test", "message": "hello"},
                              timeout=60)
        assert reply.status_code == 200
        assert "999" in " ".join(message.get("text", "") for message in reply.json())
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", process)
        _check_the_secrets_reach_rasa_alone(process.pid, rasa_port, token, jwt_secret)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
    assert code == 0, (tmp_path / "serve.log").read_text(errors="replace")[-2000:]
    for port in (rasa_port, actions_port, web_port):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
        except requests.ConnectionError:
            continue
        raise AssertionError(f"something still listens on {port} after serve stopped")


def _check_the_secrets_reach_rasa_alone(serve_pid: int, rasa_port: int, token: str, jwt_secret: str) -> None:
    status = f"http://127.0.0.1:{rasa_port}/status"
    assert requests.get(status, timeout=10).status_code == 401
    assert requests.get(status, params={"token": token}, timeout=10).status_code == 200
    bearer = jwt.encode({"user": {"username": "it", "role": "admin"}}, jwt_secret, algorithm="HS256")
    assert requests.get(status, headers={"Authorization": f"Bearer {bearer}"}, timeout=10).status_code == 200
    # Every process on the machine, not only ours: the secrets are new, so any hit is a leak.
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        assert token.encode() not in arguments and jwt_secret.encode() not in arguments, f"{cmdline}: {arguments!r}"
    servers = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in descendants(serve_pid)
               if _ppid(pid) == serve_pid}
    web = [pid for pid, arguments in servers.items() if arguments[1:4] == [b"-m", b"bot", b"web"]]
    assert len(web) == 1 and servers[web[0]][0].decode() == serve.web_python(), servers
    for pid, arguments in servers.items():  # the action server and the web app never get them
        if b"bot.rasa_launcher" in arguments:  # Rasa itself
            continue
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        assert token.encode() not in environ and jwt_secret.encode() not in environ, arguments


def test_serve_stops_everything_when_one_server_cannot_start(tmp_path: Path) -> None:
    """The web app's port is taken: serve must not go on without it."""
    rasa_port, actions_port = free_port(), free_port()
    env = {**serve.environment(), **isolated_environment(tmp_path)}
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        web_port = taken.getsockname()[1]
        command = [sys.executable, "-m", "bot", "serve", "--model", str(MODEL), "--port", str(rasa_port),
                   "--actions-port", str(actions_port), "--web-port", str(web_port)]
        result = subprocess.run(command, cwd=settings.ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode != 0
    assert "web app stopped" in result.stderr


def test_closing_the_terminal_stops_all_three_servers(tmp_path: Path) -> None:
    """SIGHUP (the terminal closed) stops serve and every process it started, not serve alone."""
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    env = {**serve.environment(), **isolated_environment(tmp_path),
           "ALLOWED_ORIGINS": f"http://127.0.0.1:{web_port}"}
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=settings.ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    command = [sys.executable, "-m", "bot", "serve", "--model", str(MODEL), "--port", str(rasa_port),
               "--actions-port", str(actions_port), "--web-port", str(web_port)]
    with (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen(command, cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    started = set()
    try:
        for url in (f"http://127.0.0.1:{web_port}/health", f"http://127.0.0.1:{actions_port}/health",
                    f"http://127.0.0.1:{rasa_port}/"):
            wait_until_up(url, process)
        started = descendants(process.pid)
        servers = [pid for pid in started if _ppid(pid) == process.pid]
        assert len(servers) == 3, f"serve should have started three servers, not {servers}"
        process.send_signal(signal.SIGHUP)
        code = process.wait(timeout=60)
        assert code == 0, (tmp_path / "serve.log").read_text(errors="replace")[-2000:]
        left = sorted(pid for pid in started if not gone(pid))
        assert left == [], f"processes started by serve still run after SIGHUP: {left}"
    finally:
        for pid in [process.pid, *started]:
            if not gone(pid, timeout=0):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=60)


def _ppid(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.mark.parametrize("signum", serve.STOP_SIGNALS)
def test_a_server_exiting_as_serve_is_told_to_stop_is_no_failure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, signum: signal.Signals
) -> None:
    """The signal arrives, and a server exits before serve has seen it: serve still stopped on request."""

    class SignalledAsAServerExits(Supervisor):
        def run_until_any_exits(self, should_stop: Callable[[], bool] = lambda: False) -> Exit | None:
            handler = signal.getsignal(signum)
            assert callable(handler), f"serve leaves {signum.name} to its default action, and the servers running"
            handler(signum, None)  # as if delivered now, after the server's exit was seen
            assert should_stop()
            self.stop_all()
            return Exit("web app", 1)

    def one_server(*_arguments: object) -> List[Service]:
        return [Service("web app", [sys.executable, "-c", "import time; time.sleep(600)"])]

    monkeypatch.setattr(serve, "services", one_server)
    monkeypatch.setattr(serve, "Supervisor", SignalledAsAServerExits)
    previous = signal.getsignal(signum)
    assert serve.serve(tmp_path / "model.tar.gz") == 0
    assert signal.getsignal(signum) is previous


def test_servers_names_a_subset_in_starting_order() -> None:
    assert serve.parse_servers("rasa, actions") == ("actions", "rasa")
    assert serve.parse_servers("web") == ("web",)
    for wrong in ("", " , ", "rasa,nginx"):
        with pytest.raises(serve.ConfigurationError, match="--servers"):
            serve.parse_servers(wrong)


def test_the_rasa_runtime_alone_needs_no_public_tier(tmp_path: Path) -> None:
    """The Rasa runtime's image runs rasa,actions and has no .venv-web: only the web app needs WEB_PYTHON."""
    env = {**serve.environment(), "WEB_PYTHON": str(tmp_path / "no-such-python")}
    started = serve.services(tmp_path / "model.tar.gz", 5005, 5055, 8080, env, ("actions", "rasa"))
    assert [service.name for service in started] == ["action server", "Rasa server"]
    with pytest.raises(serve.ConfigurationError, match="WEB_PYTHON"):
        serve.services(tmp_path / "model.tar.gz", 5005, 5055, 8080, env)
