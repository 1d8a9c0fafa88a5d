"""The content health page: who may see it, and its figures from a seeded query log."""
from __future__ import annotations

import copy
import html
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import requests
import yaml

from bot import settings
from bot.db.engine import engine_for
from bot.querylog.records import QueryRecord
from bot.querylog.store import QueryLog
from bot.review import health
from bot.review.audit import AuditTrail
from tests.review import seed
from tests.review.helpers import Dashboard

TODAY = date(2026, 12, 7)
EDT = "Emergency Duty Team (out of hours social care)"


def row(n: int, day: date, topic: str, partnership: str = "pan_cheshire", helpful: bool | None = None) -> QueryRecord:
    return QueryRecord(message_id=f"h{n}", created_at=datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc),
                       channel="rest", sender=f"p_{n:032x}", partnership=partnership, practitioner_role="police",
                       text=f"question {n}", intent=topic, confidence=0.9, topic=topic, fell_back=False,
                       is_button=False, helpful=helpful)


ROWS = [
    *(row(n, date(2026, 11, 1 + n), "child_missing") for n in range(3)),  # uses the EDT, front door, protocol
    row(3, date(2026, 11, 5), "escalation", helpful=False),  # uses the escalation policy and stages
    row(4, date(2026, 11, 6), "escalation"),
    *(row(n, date(2026, 11, 7), "philomena_protocol", helpful=n != 8) for n in range(5, 9)),  # national only
    row(9, date(2026, 11, 8), "philomena_protocol", helpful=False),
    row(10, date(2026, 11, 8), "philomena_protocol", helpful=False),
    *(row(n, date(2026, 11, 9), "child_missing", partnership="bscb") for n in range(11, 16)),  # another area
    row(16, date(2025, 1, 1), "child_missing"),  # before the sign-off in test_counts_start_at_the_sign_off
]


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A copy of the shipped West Cheshire pack in a folder of its own; write() saves changes to it."""
    data = yaml.safe_load((settings.PARTNERSHIPS_DIR / "pan_cheshire.yml").read_text(encoding="utf-8"))
    monkeypatch.setattr(settings, "PARTNERSHIPS_DIR", tmp_path)
    write(tmp_path, data)
    return data


def write(directory: Path, data: dict) -> None:
    (directory / "pan_cheshire.yml").write_text(yaml.safe_dump(data), encoding="utf-8")


def value(found: health.Health, subject: str) -> health.UnsetValue:
    [match] = [item for item in found.unset if item.subject == subject]
    return match


def test_hits_count_the_queries_whose_answer_uses_each_unset_value(database_url: str, engine, pack: dict) -> None:
    QueryLog(database_url).record(ROWS)
    found = health.content_health(engine, "pan_cheshire", TODAY)
    assert found.since is None  # never signed off: since the log began
    assert value(found, EDT).hits == 4  # 3 + the old one; not bscb's 5
    assert value(found, "Pan Cheshire Escalation Policy").hits == 2
    assert value(found, "the threshold for a strategy meeting after repeat episodes").hits == 0
    assert "Who to notify when a child goes missing" in value(found, EDT).answers
    assert value(found, EDT).missing == ["no phone, e-mail or link", "no name"]
    assert [item.hits for item in found.unset] == sorted((item.hits for item in found.unset), reverse=True)
    assert [(item.topic, item.unhelpful, item.total) for item in found.unhelpful] == [
        ("philomena_protocol", 3, 6), ("escalation", 1, 2)]
    assert [item.path for item in found.overdue] == ["documents.missing_protocol.valid_until"]


def test_counts_start_at_the_sign_off(database_url: str, engine, pack: dict, tmp_path: Path) -> None:
    QueryLog(database_url).record(ROWS)
    pack["signed_off"] = "2026-01-01"
    write(tmp_path, pack)
    found = health.content_health(engine, "pan_cheshire", TODAY)
    assert found.since == date(2026, 1, 1)
    assert value(found, EDT).hits == 3


def test_a_set_value_is_not_listed_and_a_current_pack_is_not_overdue(engine, pack: dict, tmp_path: Path) -> None:
    changed = copy.deepcopy(pack)
    changed["contacts"]["emergency_duty_team"] = {"name": "Out of Hours Team", "phone": "01234 567890"}
    changed["documents"]["missing_protocol"]["valid_until"] = None
    write(tmp_path, changed)
    found = health.content_health(engine, "pan_cheshire", TODAY)
    assert EDT not in {item.subject for item in found.unset}
    assert found.overdue == [] and found.unhelpful == []


# -- the page, served ----------------------------------------------------------------------------------------

def test_board_and_admins_see_it_in_the_nav_trainers_do_not(dashboard: Dashboard) -> None:
    for name in ("board.member", "admin.one"):
        session = dashboard.login(name)
        assert 'href="/review/health"' in session.get(dashboard.url + "/review/", timeout=30).text
        response = session.get(dashboard.url + "/review/health", timeout=60)
        assert response.status_code == 200 and "<h1>Content health</h1>" in response.text, name
    trainer = dashboard.login("trainer.one")
    assert 'href="/review/health"' not in trainer.get(dashboard.url + "/review/", timeout=30).text
    response = trainer.get(dashboard.url + "/review/health", allow_redirects=False, timeout=30)
    assert response.status_code == 403 and "You do not have access to this page" in response.text
    anonymous = requests.get(dashboard.url + "/review/health", allow_redirects=False, timeout=30)
    assert anonymous.status_code == 303 and anonymous.headers["Location"].startswith("/review/login")


def test_the_page_shows_the_seeded_figures(dashboard: Dashboard) -> None:
    expected = health.content_health(engine_for(dashboard.database_url), settings.partnership_id(), seed.today())
    page = html.unescape(dashboard.login("board.member").get(dashboard.url + "/review/health", timeout=60).text)
    assert value(expected, EDT).hits > 0
    for item in expected.unset:
        subject = item.subject[:1].upper() + item.subject[1:]
        shown = re.search(rf'<th scope="row">{re.escape(subject)}</th><td>[^<]*</td>\s*'
                          r'<td class="hits">(\d+)</td>', page)
        assert shown and int(shown.group(1)) == item.hits, item.subject
    assert expected.unhelpful, "the seed marks some answers not helpful"
    for item in expected.unhelpful:
        assert re.search(rf">{re.escape(item.label)}</a></th><td class=\"hits\">{item.unhelpful}</td>", page)
    for item in expected.overdue:
        assert f"<td>{item.reason}</td>" in page
    assert "since the query log began" in page or "since the partnership signed the pack off" in page


def test_viewing_it_is_in_the_audit_trail(dashboard: Dashboard) -> None:
    dashboard.login("admin.one").get(dashboard.url + "/review/health", timeout=60)
    entries = [entry for entry in AuditTrail(dashboard.database_url).entries() if entry.user_name == "admin.one"]
    assert entries[0].action == "view content health"


def test_axe_finds_no_serious_violations_and_it_fits_a_phone(new_page, dashboard: Dashboard) -> None:
    from tests.review.test_dashboard_browser import log_in, serious_violations

    page = new_page(bypass_csp=True, viewport={"width": 360, "height": 740})  # axe is an injected script
    log_in(page, dashboard, name="board.member", path="/review/health")
    page.get_by_role("heading", name="Content health", level=1).wait_for()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
