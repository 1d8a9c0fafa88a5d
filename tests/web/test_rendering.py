"""How the page renders what the assistant sends: Markdown lists and links, sanitised, buttons as buttons."""
from __future__ import annotations

import json

from playwright.sync_api import Page, expect

STORE = "safeguarding-chat"


def show(page: Page, url: str, text: str, buttons: list[dict[str, str]] | None = None) -> None:
    """Puts one assistant message in the tab's saved conversation, then opens the chat, as after a reload."""
    page.goto(url + "/health")  # same origin, so same sessionStorage, and no chat script running
    saved = {"sessionId": None, "messages": [{"from": "bot", "text": text, "buttons": buttons or []}]}
    page.evaluate(f"sessionStorage.setItem({json.dumps(STORE)}, {json.dumps(json.dumps(saved))})")
    page.goto(url + "/")


def test_lists_and_links_render_and_links_open_safely(page: Page, lonely_web_app: str) -> None:
    show(page, lonely_web_app, "Tell:\n- the police\n- the social worker\n\nSee [the protocol](https://example.org/p).")
    message = page.locator(".message.bot")
    expect(message.locator("li")).to_have_count(2)
    link = message.get_by_role("link", name="the protocol")
    expect(link).to_have_attribute("href", "https://example.org/p")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")


def test_script_and_javascript_links_are_removed(page: Page, lonely_web_app: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    show(page, lonely_web_app, '<script>alert(1)</script><img src=x onerror="alert(2)">[x](javascript:alert(3))')
    message = page.locator(".message.bot")
    expect(message).to_be_visible()
    assert message.locator("script").count() == 0
    assert message.locator("img[onerror]").count() == 0
    hrefs = message.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert not any(href and href.lower().startswith("javascript:") for href in hrefs)
    if message.locator("a").count():
        message.locator("a").first.click()
    assert dialogs == []


def test_buttons_are_buttons_with_their_titles(page: Page, lonely_web_app: str) -> None:
    show(page, lonely_web_app, "Choose:", [{"title": "Local contacts", "payload": "/local_contacts"}])
    button = page.locator(".message.bot").get_by_role("button", name="Local contacts")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".message.user").last).to_contain_text("Local contacts")
