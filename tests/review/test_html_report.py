"""The board report: self-contained HTML (nothing fetched, no scripts), charts inside, logged text escaped."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from bot.__main__ import main
from bot.db.engine import dispose_engines
from bot.querylog.store import QueryLog
from bot.review import html_report
from bot.review.audit import AuditTrail
from bot.review.filters import Filter, FilterError
from tests.review import seed

GENERATED = datetime(2024, 4, 1, 8, 30, tzinfo=timezone.utc)


class Resources(HTMLParser):
    """Every element and every attribute that could make a browser fetch or run something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set = set()
        self.links: list = []
        self.handlers: list = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data", "formaction"):
                self.links.append((tag, name, value))
            if name.startswith("on"):
                self.handlers.append((tag, name))


@pytest.fixture
def seeded(sqlite_url) -> QueryLog:
    log = QueryLog(sqlite_url)
    log.record(seed.records())
    return log


def last_30_days() -> Filter:
    return Filter(since=seed.today() - timedelta(days=29), until=seed.today())


def test_self_contained_with_charts_and_escaped_text(seeded) -> None:
    page = html_report.build(seeded.engine, last_30_days(), generated=GENERATED)
    parsed = Resources()
    parsed.feed(page)
    assert not {"script", "link", "img", "iframe", "object", "embed", "base"} & parsed.tags
    assert all(value.startswith("#") for _, _, value in parsed.links), parsed.links
    assert parsed.handlers == []
    assert "http://" not in page and "https://" not in page and "url(" not in page.replace("url(#", "")
    assert page.count("<svg") >= 4 and "<style>" in page  # charts and styles inside the file
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" not in page  # noise is not in a group, so not in the report
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page


def test_what_the_board_sees(seeded) -> None:
    page = html_report.build(seeded.engine, last_30_days(), generated=GENERATED)
    assert f"What practitioners asked, {last_30_days().since:%-d %b %Y} to {seed.today():%-d %b %Y}" in page
    assert "Generated 1 Apr 2024 08:30 UTC" in page
    assert "Unanswered questions" in page
    first_group = page.index("1. 6 questions")
    assert all(page.find(text, first_group) > 0 for text in seed.THEME_HOTEL[:5])
    assert "asylum seeking child missing from hotel at [ADDRESS]" in page  # placeholders kept, as text


def test_logged_markup_in_a_group_is_escaped(sqlite_url) -> None:
    log = QueryLog(sqlite_url)
    records = [r for r in seed.records() if r.text in seed.THEME_CONSENT]
    hostile = [replace(r, message_id=r.message_id + "x", text=r.text + " <script>alert(1)</script>") for r in records]
    log.record(records + hostile)
    page = html_report.build(log.engine, last_30_days())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page


def test_the_period_defaults_and_checks() -> None:
    today = date(2024, 3, 31)
    assert html_report.period(None, None, today) == Filter(date(2024, 3, 2), today)
    assert html_report.period(date(2024, 1, 1), None, today) == Filter(date(2024, 1, 1), today)
    assert html_report.period(None, date(2024, 2, 29), today) == Filter(date(2024, 1, 31), date(2024, 2, 29))
    with pytest.raises(FilterError):
        html_report.period(date(2024, 3, 2), date(2024, 3, 1), today)


def test_report_command_writes_html_and_records_the_export(seeded, sqlite_url, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    since, until = (seed.today() - timedelta(days=6)).isoformat(), seed.today().isoformat()
    out = tmp_path / "board.html"
    assert main(["report", "--format", "html", "--since", since, "--until", until, "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page
    assert "written to" in capsys.readouterr().err
    [entry] = AuditTrail(sqlite_url).entries()
    assert entry.action == "export html" and entry.user_name.startswith("command line (")
    assert entry.filter == f'{{"since":"{since}","until":"{until}"}}'
    # the text report is still the default
    assert main(["report", "--since", since]) == 0
    assert capsys.readouterr().out.startswith(f"Query log, since {since} (UTC):")
    assert main(["report", "--format", "html", "--since", until, "--until", since]) == 2
    assert "is after" in capsys.readouterr().err
    dispose_engines()
