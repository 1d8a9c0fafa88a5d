"""The web app with no Rasa server behind it: clear answers, no crash, and the page says what to do."""
from __future__ import annotations

import subprocess
from typing import Iterator

import pytest
import requests
from playwright.sync_api import Page, expect

from bot import serve, settings
from tests.servers import free_port, wait_until_up


@pytest.fixture(scope="module")
def lonely_web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port, nobody = free_port(), free_port()
    log = (tmp_path_factory.mktemp("lonely") / "web.log").open("w")
    command = serve.web_command(port, nobody)
    env = {**serve.environment(), "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
    process = subprocess.Popen(command, cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_channels_answer_502_with_a_reason(lonely_web_app: str) -> None:
    reply = requests.post(f"{lonely_web_app}/webhooks/rest/webhook", json={"sender": "x", "message": "hi"},
                          timeout=30)
    assert reply.status_code == 502
    assert "not reachable" in reply.json()["error"]
    handshake = requests.get(f"{lonely_web_app}/socket.io/?EIO=4&transport=polling", timeout=30)
    assert handshake.status_code == 502
    assert requests.get(f"{lonely_web_app}/health", timeout=10).status_code == 200


def test_page_still_loads_and_points_to_999(page: Page, lonely_web_app: str) -> None:
    page.goto(lonely_web_app + "/")
    expect(page.locator(".message.bot").first).to_contain_text("call 999")
    expect(page.locator("#status")).to_contain_text("999", timeout=30_000)
