"""Starts the action server and the Rasa server together, and stops them together."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

import yaml

from bot import settings

RASA_PORT = 5005
ACTIONS_PORT = 5055


ENDPOINTS = settings.ROOT / "endpoints.yml"


def environment() -> Dict[str, str]:
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def write_endpoints(path: Path, actions_port: int) -> Path:
    """The project's endpoints.yml (tracker store included), with the action server on another port."""
    endpoints = yaml.safe_load(ENDPOINTS.read_text(encoding="utf-8"))
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{actions_port}/webhook"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return path


def rasa_executable() -> str:
    return str(Path(sys.executable).with_name("rasa"))


def actions_command(port: int = ACTIONS_PORT) -> List[str]:
    return [rasa_executable(), "run", "actions", "--actions", "actions", "--port", str(port)]


def rasa_command(model: Path, port: int = RASA_PORT, endpoints: Path = ENDPOINTS) -> List[str]:
    return [
        rasa_executable(), "run", "--model", str(model), "--port", str(port),
        "--endpoints", str(endpoints), "--credentials", "credentials.yml",
    ]


def serve(model: Path, rasa_port: int = RASA_PORT, actions_port: int = ACTIONS_PORT) -> int:
    env = environment()
    endpoints = ENDPOINTS
    if actions_port != ACTIONS_PORT:
        endpoints = write_endpoints(settings.BUILD_DIR / f"endpoints-{actions_port}.yml", actions_port)
    processes = [
        subprocess.Popen(actions_command(actions_port), cwd=settings.ROOT, env=env),
        subprocess.Popen(rasa_command(model, rasa_port, endpoints), cwd=settings.ROOT, env=env),
    ]
    rasa = processes[1]

    def stop(*_: object) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"Assistant starting: REST channel at http://localhost:{rasa_port}/webhooks/rest/webhook")
    try:
        while rasa.poll() is None:
            time.sleep(0.5)
    finally:
        stop()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    return rasa.returncode or 0
