"""What the served pages say: the unanswered questions with why each is listed, and every name in plain words
(topics, intents, channels, roles, partnerships), on a seeded query log."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import List

import pytest
import requests

from bot.content import partnership
from tests.review import seed
from tests.review.helpers import Dashboard

# Raw names the seeded log holds, which no page may show as text.
RAW_NAMES = ["out_of_scope", "missing_walkthrough_form", "found_walkthrough_form", "socketio", "pan_cheshire",
             "nlu_fallback", "social_care", "child_missing", "child_found", "philomena_protocol", "risk_grading"]
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
PAGES = ["/review/", "/review/gaps", "/review/topics/child_missing", "/review/topics/missing_walkthrough_form",
         "/review/topics/out_of_scope", "/review/report.html", "/review/health", "/review/audit",
         "/review/?channel=socketio&role=social_care&partnership=pan_cheshire",
         "/review/gaps?role=_none&channel=teams"]


class PageText(HTMLParser):
    """The text a reader sees: text nodes (chart titles and labels included), without scripts, styles and
    <code> (file names and commands, such as the pack's file on the content health page)."""

    SKIPPED = {"script", "style", "code"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: List[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skipping += tag in self.SKIPPED

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in self.SKIPPED

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def page_text(body: str) -> str:
    parser = PageText()
    parser.feed(body)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def admin(dashboard: Dashboard) -> requests.Session:
    return dashboard.login("admin.one")


@pytest.mark.parametrize("path", PAGES)
def test_names_are_shown_in_plain_words(dashboard: Dashboard, admin, path: str) -> None:
    response = admin.get(dashboard.url + path, timeout=60)
    assert response.status_code == 200, response.text[:500]
    text = page_text(response.text)
    assert [name for name in RAW_NAMES if name in text] == []
    assert SNAKE_CASE.findall(text) == []


def test_the_labels_the_pages_use(dashboard: Dashboard, admin) -> None:
    overview = admin.get(dashboard.url + "/review/", timeout=60).text
    text = page_text(overview)
    for label in ("Web chat", "REST API", "Microsoft Teams", "Children's social care", "Foster or residential carer",
                  "Outside what the assistant covers", "Walkthrough: child missing",
                  "Who to notify when a child goes missing", partnership.load("pan_cheshire", draft=True).name):
        assert label in text, label
    # the filter's choices: raw values, plain labels
    assert '<option value="socketio">Web chat</option>' in overview
    assert '<option value="social_care">Children&#39;s social care</option>' in overview
    assert re.search(r'<option value="pan_cheshire">[^<_]+</option>', overview)
    # links keep the raw topic name
    assert 'href="/review/topics/out_of_scope?' in overview

    filtered = admin.get(dashboard.url + "/review/?channel=socketio&role=social_care", timeout=60).text
    assert '<option value="socketio" selected>Web chat</option>' in filtered
    assert "channel Web chat, role Children's social care" in html.unescape(filtered)
    assert "channel=socketio" in filtered and "role=social_care" in filtered  # in the links, raw

    topic = page_text(admin.get(dashboard.url + "/review/topics/missing_walkthrough_form", timeout=60).text)
    assert "Topic: Walkthrough: child missing" in topic


def test_the_csv_export_keeps_the_raw_names(dashboard: Dashboard, admin) -> None:
    body = admin.get(dashboard.url + "/review/export.csv?channel=socketio", timeout=60).text
    assert body.startswith("message_id,") and ",socketio," in body and "Web chat" not in body


def listed(body: str) -> dict:
    """Each listed question's text -> (its reasons, its 'why' text)."""
    found = re.findall(r'<span class="logged">(.*?)</span>\s*<span class="why" data-reasons="([^"]*)">(.*?)</span>',
                       body, re.DOTALL)
    return {html.unescape(text): (reasons.split(), " ".join(html.unescape(why).split()))
            for text, reasons, why in found}


def test_the_unanswered_page_says_why_each_question_is_listed(dashboard: Dashboard, admin) -> None:
    body = admin.get(dashboard.url + "/review/gaps", timeout=60).text
    questions = listed(body)
    for text, reason in seed.LISTED.items():
        assert questions[text][0] == [reason], text
    assert not set(seed.NOT_LISTED) & set(questions)
    assert questions[seed.REPHRASED][1].endswith(
        "likely misunderstood: answered with “Outside what the assistant covers”, then asked again within a minute; "
        "the next closest was “Who to notify when a child goes missing”")
    assert questions[seed.REFUSED][1].endswith("not understood, and none of the suggested topics fitted")
    assert questions[seed.CHOSE][1].endswith(
        "not understood at first: then chose “Who to notify when a child goes missing” from the suggestions")
    assert "answer “Who to notify when a child goes missing” marked not helpful" in questions[seed.THEME_NRM[1]][1]
    # a row logged before the classifier's own intent was kept (intent nlu_fallback): no closest topic
    assert questions[seed.NOISE[0]][1].endswith("· not understood")
    assert questions[seed.WALKTHROUGH_FELL_BACK][1].endswith("not understood (closest topic: “No”)")
    summary = page_text(body[body.index('id="gap-reasons"'):body.index("</ul>", body.index('id="gap-reasons"'))])
    assert "2 likely misunderstood: asked again within a minute of the answer" in summary
    assert "1 not understood, and none of the suggested topics fitted" in summary


def test_the_board_report_says_why_too(dashboard: Dashboard, admin) -> None:
    text = page_text(admin.get(dashboard.url + "/review/report.html", timeout=60).text)
    assert "likely misunderstood: asked again within a minute of the answer" in text
    assert "answer “Who to notify when a child goes missing” marked not helpful" in text
