"""The chat page in headless Chromium against the real assistant: ask, answer, buttons, reload, access."""
from __future__ import annotations

import sqlite3
import time

from playwright.sync_api import Page, expect

from bot.content.welcome import partnership_name
from tests.fixtures import axe_script
from tests.web.helpers import Assistant

QUESTION = "a child has gone missing from care, who do I tell?"


def open_chat(page: Page, assistant: Assistant) -> None:
    page.goto(assistant.web_url + "/")
    expect(page.locator(".message.bot").first).to_contain_text("immediate danger, call 999")


def bot_messages(page: Page) -> list[str]:
    return page.locator(".message.bot").all_inner_texts()


def logged_rows(assistant: Assistant, channel: str, minimum: int, timeout: float = 30) -> list[tuple]:
    """Query-log rows of one channel; the action server logs just after each answer, so wait for them."""
    deadline = time.monotonic() + timeout
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        with sqlite3.connect(assistant.directory / "querylog.db") as db:
            rows = db.execute(
                "SELECT text, topic, is_button FROM query_log WHERE channel = ? ORDER BY id", (channel,)
            ).fetchall()
        if len(rows) >= minimum:
            return rows
        time.sleep(0.5)
    return rows


def test_page_names_the_partnership_and_asks_for_no_personal_details(page: Page, assistant: Assistant) -> None:
    open_chat(page, assistant)
    expect(page.locator("header")).to_contain_text(partnership_name())
    expect(page.locator("#privacy-note")).to_contain_text("don't type names")
    expect(page.locator("#privacy-note")).to_contain_text("logged without personal details")


def test_question_answer_button_and_reload(page: Page, assistant: Assistant) -> None:
    open_chat(page, assistant)
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".message.user").last).to_have_text(f"You said: {QUESTION}")
    expect(page.locator(".message.bot").nth(1)).to_contain_text("police")
    answered = len(bot_messages(page))

    # the welcome's choices have ended: press the answer's
    found = page.locator(".message.bot").last.get_by_role("button", name="What to do when the child is found")
    found.click()
    expect(page.locator(".message.user").last).to_contain_text("What to do when the child is found")
    expect(page.locator(".message.bot").last).to_contain_text("Source:")
    expect(page.locator(".message.bot", has_text="When a missing child is found")).to_have_count(1)
    assert len(bot_messages(page)) > answered
    # answers render lists as lists and keep the 999 advice
    expect(page.locator(".message.bot li", has_text="safe and well check").first).to_be_visible()

    before = page.locator(".message").all_inner_texts()
    page.reload()
    expect(page.locator(".message")).to_have_count(len(before))
    assert page.locator(".message").all_inner_texts() == before

    # the conversation goes on with the same session after the reload
    page.get_by_label("Your question").fill("thanks")
    page.keyboard.press("Enter")
    expect(page.locator(".message.bot").last).to_contain_text("welcome")

    rows = logged_rows(assistant, "socketio", minimum=3)
    texts = [text for text, _, _ in rows]
    assert QUESTION in texts
    assert any(is_button for _, topic, is_button in rows if topic == "child_found")


def test_keyboard_only(page: Page, assistant: Assistant) -> None:
    open_chat(page, assistant)
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "message"
    page.keyboard.type("what is a return home interview")
    page.keyboard.press("Enter")
    expect(page.locator(".message.bot").nth(1)).to_contain_text("72 hours")
    # reach an answer's button with Tab alone and press it with the keyboard
    target = page.locator(".message.bot").last.locator(".choices button").first.inner_text()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == target:
            break
    else:
        raise AssertionError(f"no button {target!r} reachable by keyboard")
    page.keyboard.press("Enter")
    expect(page.locator(".message.user").last).to_contain_text(target)


def test_no_serious_or_critical_accessibility_violations(browser: object, assistant: Assistant) -> None:
    # the page's Content-Security-Policy forbids injected scripts, axe's included
    context = browser.new_context(bypass_csp=True)  # type: ignore[attr-defined]
    page = context.new_page()
    open_chat(page, assistant)
    page.get_by_label("Your question").fill(QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator(".message.bot").nth(1)).to_be_visible()
    page.add_script_tag(path=str(axe_script()))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results["violations"] if violation["impact"] in ("serious", "critical")
    ]
    context.close()
    assert results["passes"], "axe ran no checks"
    assert serious == []


def test_phone_width(browser: object, assistant: Assistant) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        open_chat(page, assistant)
        page.get_by_label("Your question").fill(QUESTION)
        page.keyboard.press("Enter")
        expect(page.locator(".message.bot").nth(1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        for name in ("Send",):
            box = page.get_by_role("button", name=name).bounding_box()
            assert box and box["x"] + box["width"] <= 360
    finally:
        context.close()


def test_markup_typed_or_answered_is_shown_as_text(page: Page, assistant: Assistant) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_chat(page, assistant)
    attack = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    page.get_by_label("Your question").fill(attack)
    page.keyboard.press("Enter")
    expect(page.locator(".message.user").last).to_have_text(f"You said: {attack}")
    expect(page.locator(".message.bot").nth(1)).to_be_visible()
    assert page.locator(".message img").count() == 0
    assert dialogs == []
