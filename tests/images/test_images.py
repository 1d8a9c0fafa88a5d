"""The container images (`make images`, deploy/docker/): each starts, answers, runs as a non-root user and carries
the version, and the web image forwards to the Rasa image. Run by `make test-images`, not by `make test`; under
CI=true a missing Docker fails them."""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import time
from typing import Dict, Iterator, Tuple

import pytest
import requests

from bot import settings
from bot.supervisor import free_port

VERSION = re.search(r'^version = "([^"]+)"$', (settings.ROOT / "pyproject.toml").read_text(), re.MULTILINE)[1]
RASA_IMAGE = f"missing-children-assistant-rasa:{VERSION}"
WEB_IMAGE = f"missing-children-assistant-web:{VERSION}"
RASA_READY_SECONDS = 300
WEB_READY_SECONDS = 60
QUESTION = "who do I tell if a child goes missing?"


def docker(*arguments: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *arguments], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module", autouse=True)
def docker_available() -> None:
    """Skipped on a developer's machine without Docker; a failure in CI, where `make images` has just run."""
    if shutil.which("docker") is None or docker("info", timeout=30).returncode != 0:
        message = "Docker is not available: `make images` installs and starts it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def inspect_image(image: str) -> dict:
    found = docker("image", "inspect", image)
    assert found.returncode == 0, f"{image} is missing: run `make images`"
    return json.loads(found.stdout)[0]


@contextlib.contextmanager
def container(image: str, env: Dict[str, str]) -> Iterator[str]:
    """The image's default command on the host's network (so only loopback is used), removed afterwards."""
    name = f"image-test-{secrets.token_hex(4)}"
    options = [option for key, value in env.items() for option in ("-e", f"{key}={value}")]
    started = docker("run", "--detach", "--name", name, "--network", "host", *options, image)
    try:
        assert started.returncode == 0, started.stderr
        yield name
    finally:
        docker("rm", "--force", "--volumes", name)


def wait_until_up(name: str, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        state = docker("inspect", "--format", "{{.State.Running}}", name)
        if state.stdout.strip() != "true":
            raise AssertionError(f"{name} stopped: {docker('logs', name).stderr[-3000:]}")
        time.sleep(2)
    raise AssertionError(f"{url} did not answer within {timeout} s: {docker('logs', name).stderr[-3000:]}")


def check_user_health_and_label(name: str, image: str) -> None:
    user = inspect_image(image)["Config"]["User"]
    assert user and user not in ("0", "root"), user
    uid = docker("exec", name, "id", "-u")
    assert uid.returncode == 0 and uid.stdout.strip() != "0", uid
    assert inspect_image(image)["Config"]["Labels"]["org.opencontainers.image.version"] == VERSION
    assert inspect_image(image)["Config"]["Healthcheck"]["Test"][0] == "CMD"
    health = docker("exec", name, "python", "deploy/docker/healthcheck.py")
    assert health.returncode == 0, health.stderr


@pytest.fixture(scope="module")
def rasa_container() -> Iterator[Tuple[str, int]]:
    """The Rasa image's default command (Rasa and the action server), its name and Rasa's port."""
    rasa_port, actions_port = free_port(), free_port()
    env = {"RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port), "RASA_HOST": "127.0.0.1"}
    with container(RASA_IMAGE, env) as name:
        wait_until_up(name, f"http://127.0.0.1:{rasa_port}/", RASA_READY_SECONDS)
        wait_until_up(name, f"http://127.0.0.1:{actions_port}/health", 30)
        yield name, rasa_port


def who_to_notify(webhook: str) -> str:
    reply = requests.post(webhook, json={"sender": f"image-test-{secrets.token_hex(4)}", "message": QUESTION},
                          timeout=120)
    assert reply.status_code == 200, reply.text
    answer = " ".join(message.get("text", "") for message in reply.json())
    assert "Who to notify when a child goes missing" in answer, answer
    assert "Police" in answer and "social worker" in answer, answer
    return answer


def test_the_rasa_image_answers_a_rest_message_with_the_right_topic(rasa_container: Tuple[str, int]) -> None:
    name, rasa_port = rasa_container
    who_to_notify(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook")
    check_user_health_and_label(name, RASA_IMAGE)


def test_the_web_image_serves_the_chat_page_and_refuses_a_bad_request() -> None:
    web_port, nothing_there = free_port(), free_port()
    env = {"WEB_PORT": str(web_port), "RASA_URL": f"http://127.0.0.1:{nothing_there}"}
    with container(WEB_IMAGE, env) as name:
        web = f"http://127.0.0.1:{web_port}"
        wait_until_up(name, f"{web}/health", WEB_READY_SECONDS)
        page = requests.get(f"{web}/", timeout=10)
        assert page.status_code == 200 and '<form id="ask"' in page.text
        assert requests.get(f"{web}/static/vendor/socket.io.min.js", timeout=10).status_code == 200
        webhook = f"{web}/webhooks/rest/webhook"
        bad = requests.post(webhook, data="{not json", headers={"Content-Type": "application/json"}, timeout=10)
        assert bad.status_code == 400 and "not valid JSON" in bad.text
        # Alone, with no Rasa behind it: a clear 502, as tests/web/test_assistant_unreachable.py expects
        lonely = requests.post(webhook, json={"sender": "image-test", "message": "hi"}, timeout=30)
        assert lonely.status_code == 502 and "not reachable" in lonely.json()["error"]
        check_user_health_and_label(name, WEB_IMAGE)


def test_the_web_image_forwards_to_the_rasa_image(rasa_container: Tuple[str, int]) -> None:
    _, rasa_port = rasa_container
    web_port = free_port()
    with container(WEB_IMAGE, {"WEB_PORT": str(web_port), "RASA_URL": f"http://127.0.0.1:{rasa_port}"}) as name:
        wait_until_up(name, f"http://127.0.0.1:{web_port}/health", WEB_READY_SECONDS)
        who_to_notify(f"http://127.0.0.1:{web_port}/webhooks/rest/webhook")
