"""The chat page on a phone (390×844) against the real assistant: an answer is read from its start, what
to do now first and its detail and sources folded below; the question box stays at the foot of the screen;
choices end once the conversation moves on; the page has its own icon."""
from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from bot import settings
from tests.fixtures import axe_script
from tests.web.helpers import Assistant
from tests.web.test_rendering import show

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = settings.ROOT / "results" / "screenshots"
QUESTION = "a child has gone missing from care, who do I tell?"
FOUND = "What to do when the child is found"
ENDED = "This choice has ended"


@pytest.fixture
def phone(browser: Any) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def box(locator: Locator) -> Dict[str, float]:
    found = locator.bounding_box()
    assert found, f"{locator} is not rendered"
    return found


def ask(page: Page, assistant: Assistant, question: str = QUESTION) -> Locator:
    """Opens the chat, asks, and returns the answer once it has come in full (with its buttons)."""
    page.goto(assistant.web_url + "/")
    expect(page.locator(".message.bot").first).to_contain_text("call 999")
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".choices:not(.ended) button").first).to_be_visible()
    return page.locator(".message.bot").nth(1)


def question_box_top(page: Page) -> float:
    return box(page.locator("#ask"))["y"]


def assert_on_screen(page: Page, locator: Locator, what: str) -> None:
    """Within the viewport and not under the question box, as it stands: no scrolling."""
    where = box(locator)
    bottom = question_box_top(page)
    assert where["y"] >= 0 and where["y"] + where["height"] <= bottom, (
        f"{what} is at y={where['y']:.0f}..{where['y'] + where['height']:.0f}, not within 0..{bottom:.0f}"
    )


def assert_question_box_at_foot(page: Page) -> None:
    height = page.viewport_size["height"]
    field = box(page.get_by_label("Your question"))
    assert height - 120 <= field["y"] and field["y"] + field["height"] <= height, (
        f"question box at y={field['y']:.0f}, not at the foot of a {height}px screen"
    )
    # and nothing covers it
    covered = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).id",
        [field["x"] + field["width"] / 2, field["y"] + field["height"] / 2],
    )
    assert covered == "message"


def test_a_long_answer_is_read_from_its_start_above_the_question_box(phone: Page, assistant: Assistant) -> None:
    answer = ask(phone, assistant)
    # the parts the socket.io channel splits an answer into come together again as one answer
    expect(phone.locator(".message.bot")).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollHeight") > PHONE["height"], "answer too short to test"
    assert phone.evaluate("window.scrollY") > 0

    top = box(answer)["y"]
    assert 0 <= top <= 24, f"the answer starts at y={top:.0f}, not at the top of the screen"
    first = answer.locator("p, li").first
    expect(first).to_contain_text("immediate danger, call 999")
    assert_on_screen(phone, first, "the answer's first line")
    shown = answer.locator("p, li").filter(has_text="999")
    assert shown.count() >= 2
    # the core answer's 999 lines; a later line (what is not set up here) may repeat 999 below the fold
    for line in shown.all()[:2]:
        assert_on_screen(phone, line, f"the 999 line {line.inner_text()[:40]!r}")
    assert_question_box_at_foot(phone)
    screenshot(phone, "phone-answer")

    # detail, sources and review date are folded away; never a 999 or a "not set up" line
    more = answer.locator("details.more")
    expect(more).to_have_count(1)
    assert more.evaluate("details => details.open") is False
    expect(more.locator("summary")).to_have_text("More detail and sources")
    expect(answer.get_by_text("Source:")).to_be_hidden()
    expect(answer.get_by_text("Last reviewed")).to_be_hidden()
    expect(answer.get_by_text("Philomena Protocol form")).to_be_hidden()
    for line in answer.locator("li").filter(has_text="999").all() + answer.locator("li").filter(
            has_text="not been set up").all():
        expect(line).to_be_visible()

    # opened from the keyboard alone: Tab from the question box back to the summary
    phone.get_by_label("Your question").focus()
    for _ in range(30):
        phone.keyboard.press("Shift+Tab")
        if phone.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        raise AssertionError("the summary is not reachable by keyboard")
    assert_on_screen(phone, more.locator("summary"), "the focused summary")
    phone.keyboard.press("Enter")
    assert more.evaluate("details => details.open") is True
    expect(answer.get_by_text("Source:")).to_be_visible()
    expect(answer.get_by_text("Philomena Protocol form")).to_be_visible()
    screenshot(phone, "phone-answer-detail-open")
    phone.keyboard.press("Space")
    assert more.evaluate("details => details.open") is False

    # a phone's keyboard takes half the screen: the question box is still at its foot
    phone.set_viewport_size({"width": 390, "height": 480})
    phone.get_by_label("Your question").focus()
    assert_question_box_at_foot(phone)
    screenshot(phone, "phone-keyboard-open")


def test_an_answer_in_several_messages_is_read_from_its_first(phone: Page, assistant: Assistant) -> None:
    # a quiz answer: the feedback, then the next question with its choices, together taller than the screen
    ask(phone, assistant, "quiz me")
    question = phone.locator(".message.bot", has_text="Question 1 of")
    question.locator(".choices button").first.click()
    expect(phone.locator(".message.bot", has_text="Question 2 of").locator(".choices button").first).to_be_visible()
    feedback = question.locator("xpath=following-sibling::div[contains(@class, 'bot')]").first
    expect(feedback).to_contain_text("Why:")
    assert phone.evaluate("document.documentElement.scrollHeight - window.scrollY") > PHONE["height"], (
        "the page ends within the screen: the test would prove nothing")
    top = box(feedback)["y"]
    assert 0 <= top <= 24, f"the feedback starts at y={top:.0f}, not at the top of the screen"
    # the first line, not the whole paragraph: some scenarios' feedback is longer than a phone screen
    first = feedback.locator("p").first
    line = float(first.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)"))
    where = box(first)
    assert 0 <= where["y"] and where["y"] + line <= question_box_top(phone), (
        f"the feedback's first line is at y={where['y']:.0f}..{where['y'] + line:.0f}, under the question box")
    assert_question_box_at_foot(phone)
    screenshot(phone, "phone-quiz-feedback")


def test_earlier_choices_end_once_the_conversation_moves_on(phone: Page, assistant: Assistant) -> None:
    answer = ask(phone, assistant)
    welcome = phone.locator(".message.bot").first.locator(".choices button")
    assert welcome.count() >= 2
    for button in welcome.all():
        expect(button).to_be_disabled()
        expect(button).to_have_attribute("title", ENDED)
    expect(phone.locator(".message.bot").first.locator(".choices")).to_have_attribute(
        "aria-label", "Choices that have ended")
    live = answer.get_by_role("button", name=FOUND)
    expect(live).to_be_enabled()
    assert welcome.first.evaluate("b => getComputedStyle(b).borderStyle") == "dashed"
    assert live.evaluate("b => getComputedStyle(b).borderStyle") == "solid"

    live.click()
    expect(phone.locator(".message.user").last).to_contain_text(FOUND)
    expect(phone.locator(".message.bot")).to_have_count(3)
    expect(live).to_be_disabled()
    screenshot(phone, "phone-choice-answered")
    # an ended choice does nothing, even when pressed by force
    users = phone.locator(".message.user").count()
    for ended in (live, welcome.first):
        ended.click(force=True)
        ended.dispatch_event("click")
    phone.wait_for_timeout(500)
    expect(phone.locator(".message.user")).to_have_count(users)
    # a tapped choice does not bring up the keyboard over the answer
    assert phone.evaluate("document.activeElement.id") != "message"
    expect(phone.locator(".message.bot").last.locator(".choices button").first).to_be_enabled()
    screenshot(phone, "phone-choices-ended")

    phone.reload()
    expect(phone.locator(".message.bot")).to_have_count(3)
    expect(phone.locator(".message.bot").nth(1).get_by_role("button", name=FOUND)).to_be_disabled()
    expect(phone.locator(".message.bot").last.locator(".choices button").first).to_be_enabled()


def test_buttons_have_words_as_well_as_emoji(phone: Page, lonely_web_app: str) -> None:
    show(phone, lonely_web_app, "Was this helpful?", [
        {"title": "👍 Helpful", "payload": "/feedback_helpful"},
        {"title": "👎", "payload": "/feedback_not_helpful"},
        {"title": "🦉", "payload": "/ask_the_owl"},
    ])
    choices = phone.locator(".message.bot .choices button")
    expect(choices).to_have_count(3)
    names = [button.get_attribute("aria-label") for button in choices.all()]
    assert names == ["Helpful", "Not helpful", "ask the owl"]
    assert [button.inner_text() for button in choices.all()] == ["👍 Helpful", "👎 Not helpful", "🦉 ask the owl"]
    expect(phone.get_by_role("button", name="Not helpful", exact=True)).to_be_visible()


FOLDED = """Checklist:
1. Make sure the child is safe.
2. Report to the police.
3. Tell the social worker.
4. Tell the school.
5. If the child is in immediate danger, call 999.
6. Tell the GP.
Front door: your local number has not been set up — ask your safeguarding lead

Source: Local protocol. Last reviewed 1 January 2024.
This guidance is due for review."""


def test_what_is_folded_and_what_never_is(phone: Page, lonely_web_app: str) -> None:
    show(phone, lonely_web_app, FOLDED)
    message = phone.locator(".message.bot")
    for text in ("Make sure the child is safe", "Tell the social worker", "call 999", "has not been set up",
                 "due for review"):
        expect(message.get_by_text(text)).to_be_visible()
    for text in ("Tell the school", "Tell the GP", "Source: Local protocol"):
        expect(message.get_by_text(text)).to_be_hidden()
    # a numbered list split by a folded line keeps its numbers
    expect(message.locator("ol[start='5']").first).to_contain_text("call 999")
    expect(message.locator("details ol[start='4']")).to_contain_text("Tell the school")
    # a message without a source is not folded
    show(phone, lonely_web_app, "One.\nTwo.\nThree.\nFour.\nFive.\nSix.")
    expect(phone.locator(".message.bot details")).to_have_count(0)
    expect(phone.locator(".message.bot").get_by_text("Six.")).to_be_visible()


def test_the_page_has_its_own_icon(phone: Page, assistant: Assistant) -> None:
    refused: list[str] = []
    phone.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
             else None)
    phone.goto(assistant.web_url + "/")
    href = phone.locator("link[rel='icon']").get_attribute("href")
    assert href and href.startswith("/static/")
    response = phone.request.get(assistant.web_url + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    # the page's own Content-Security-Policy lets it load the icon as an image
    loaded = phone.evaluate("""href => new Promise(resolve => {
        const image = new Image();
        image.onload = () => resolve(image.naturalWidth > 0);
        image.onerror = () => resolve(false);
        image.src = href;
    })""", href)
    assert loaded
    assert refused == []


def test_no_serious_accessibility_violations_on_a_phone(browser: Any, assistant: Assistant) -> None:
    # the page's Content-Security-Policy forbids injected scripts, axe's included
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = context.new_page()
    try:
        answer = ask(page, assistant)
        answer.get_by_role("button", name=FOUND).click()
        expect(page.locator(".message.bot")).to_have_count(3)
        page.locator(".message.bot").last.locator("summary").click()
        page.add_script_tag(path=str(axe_script()))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results["violations"] if violation["impact"] in ("serious", "critical")
    ]
    assert results["passes"], "axe ran no checks"
    assert serious == []
