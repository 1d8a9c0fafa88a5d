"""`python -m bot serve` (what `make run` starts): three servers up, answering through port 8080, stopped together."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import requests

from bot import serve, settings
from tests.servers import MODEL, free_port, isolated_environment, wait_until_up


def test_serve_starts_the_web_app_rasa_and_actions_and_stops_them(tmp_path: Path) -> None:
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    env = {**serve.environment(), **isolated_environment(tmp_path),
           "ALLOWED_ORIGINS": f"http://127.0.0.1:{web_port}"}
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=settings.ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    log = (tmp_path / "serve.log").open("w")
    command = [sys.executable, "-m", "bot", "serve", "--model", str(MODEL), "--port", str(rasa_port),
               "--actions-port", str(actions_port), "--web-port", str(web_port)]
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
