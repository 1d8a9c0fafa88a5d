"""The web app with no Rasa server behind it: clear answers, no crash, and the page says what to do."""
from __future__ import annotations

import requests
from playwright.sync_api import Page, expect


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
