"""The review dashboard in headless Chromium: log in, charts, filter, gaps, exports, topic, log out, lock-out,
logged markup shown as text, axe-core, phone width and keyboard."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import yaml
from playwright.sync_api import Page, expect

from bot.review.accounts import MAX_FAILED_LOGINS
from tests.fixtures import axe_script
from tests.review import seed
from tests.review.helpers import PASSWORD, Dashboard


def log_in(page: Page, dashboard: Dashboard, name: str = "board.member", password: str = PASSWORD,
           path: str = "/review/") -> None:
    page.goto(dashboard.url + path)
    expect(page.get_by_role("heading", name="Log in to the review dashboard")).to_be_visible()
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def expected_total(since: date, until: date) -> int:
    return sum(1 for record in seed.records() if since <= record.created_at.date() <= until)


def serious_violations(page: Page) -> list:
    page.add_script_tag(path=str(axe_script()))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert results["passes"], "axe ran no checks"
    return [f"{violation['id']} ({violation['impact']}): {violation['help']}"
            for violation in results["violations"] if violation["impact"] in ("serious", "critical")]


def test_log_in_see_the_charts_filter_and_download_the_csv(new_page, dashboard: Dashboard) -> None:
    page = new_page()
    log_in(page, dashboard)
    expect(page.get_by_role("heading", name="What practitioners asked")).to_be_visible()
    today = seed.today()
    expect(page.locator("#total-queries")).to_have_text(str(expected_total(today - timedelta(days=29), today)))
    for title in ("Queries per day", "Queries per week", "Feedback on answers"):
        expect(page.get_by_role("img", name=title)).to_be_visible()
    assert page.locator("svg[role=img]").count() >= 6

    week_ago = today - timedelta(days=6)
    page.get_by_label("From", exact=True).fill(week_ago.isoformat())
    page.get_by_label("To", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Apply filter").click()
    expect(page.locator("#total-queries")).to_have_text(str(expected_total(week_ago, today)))
    assert expected_total(week_ago, today) != expected_total(today - timedelta(days=29), today)
    expect(page.locator(".showing")).to_contain_text(f"{week_ago:%-d %b %Y} to {today:%-d %b %Y}")

    page.get_by_label("Channel", exact=True).select_option("teams")
    page.get_by_role("button", name="Apply filter").click()
    expected = sum(1 for r in seed.records() if week_ago <= r.created_at.date() <= today and r.channel == "teams")
    expect(page.locator("#total-queries")).to_have_text(str(expected))

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these queries (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert len(rows) == expected > 0
    assert all(row["channel"] == "teams" for row in rows)
    assert all(week_ago <= date.fromisoformat(row["created_at"][:10]) <= today for row in rows)
    assert {"text", "sender", "topic", "fell_back", "helpful"} <= set(rows[0])


def test_gaps_biggest_first_nlu_snippet_and_markup_as_text(new_page, dashboard: Dashboard) -> None:
    page = new_page()
    dialogs: list = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, dashboard, path="/review/gaps")
    expect(page.get_by_role("heading", name="Unanswered questions", exact=True)).to_be_visible()
    sizes = [int(text.split()[0]) for text in page.locator(".group-size").all_inner_texts()]
    assert len(sizes) >= 3 and sizes == sorted(sizes, reverse=True)
    first = page.locator("section.group").first
    expect(first.locator(".group-size")).to_have_text(f"{len(seed.THEME_HOTEL)} questions")
    first.get_by_text(f"All {len(seed.THEME_HOTEL)} questions in this group").click()
    expect(first.locator(".questions .logged").first).to_be_visible()
    assert sorted(first.locator(".questions .logged").all_inner_texts()) == sorted(seed.THEME_HOTEL)

    # a likely misunderstanding is listed, saying why; a button press is not
    misroute = page.locator(".questions li").filter(has_text=seed.REPHRASED)
    expect(misroute.locator(".why")).to_contain_text("likely misunderstood: answered with “Outside what the "
                                                     "assistant covers”, then asked again within a minute")
    expect(page.locator("#gap-reasons")).to_contain_text("2 likely misunderstood")
    expect(page.get_by_text(seed.BUTTON_FELL_BACK, exact=True)).to_have_count(0)

    # typed markup is shown as the text it is; nothing runs
    expect(page.get_by_text(seed.XSS_SCRIPT, exact=True)).to_be_visible()
    expect(page.get_by_text(seed.XSS_IMG, exact=True)).to_be_visible()
    assert page.locator("main script, main img").count() == 0
    assert dialogs == []

    with page.expect_download() as download:
        first.get_by_role("link", name="Download as Rasa training data (NLU YAML)").click()
    snippet = yaml.safe_load(open(download.value.path(), encoding="utf-8").read())
    assert snippet["version"] == "3.1"
    examples = [line[2:] for line in snippet["nlu"][0]["examples"].splitlines()]
    assert sorted(examples) == sorted(seed.THEME_HOTEL)


def test_topic_drill_down_and_log_out(new_page, dashboard: Dashboard) -> None:
    page = new_page()
    log_in(page, dashboard, name="trainer.one")
    page.get_by_role("link", name="Who to notify when a child goes missing").click()
    expect(page.get_by_role("heading", name="Topic: Who to notify when a child goes missing")).to_be_visible()
    expect(page.get_by_role("img", name="“Who to notify when a child goes missing”: queries per day")).to_be_visible()
    expect(page.locator("#examples li").first).to_be_visible()
    examples = page.locator("#examples .logged").all_inner_texts()
    assert set(examples) <= set(seed.ANSWERED["child_missing"] + [seed.THEME_HOTEL[1], seed.THEME_NRM[1],
                                                                      seed.THEME_CONSENT[1]])
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    page.goto(dashboard.url + "/review/")
    expect(page.get_by_role("heading", name="Log in to the review dashboard")).to_be_visible()


def test_repeated_wrong_passwords_lock_the_account(new_page, dashboard: Dashboard) -> None:
    page = new_page()
    for _ in range(MAX_FAILED_LOGINS):
        log_in(page, dashboard, name="locked.out", password="not the password at all")
        expect(page.get_by_role("alert")).to_contain_text("The account name or password is wrong")
    log_in(page, dashboard, name="locked.out", password=PASSWORD)  # right, but locked
    expect(page.get_by_role("alert")).to_contain_text("locked after too many attempts")
    page.goto(dashboard.url + "/review/")
    expect(page.get_by_role("heading", name="Log in to the review dashboard")).to_be_visible()


def test_a_board_member_cannot_open_the_audit_trail(new_page, dashboard: Dashboard) -> None:
    page = new_page()
    log_in(page, dashboard)
    expect(page.get_by_role("link", name="Audit trail")).to_have_count(0)
    response = page.goto(dashboard.url + "/review/audit")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()


def test_axe_finds_no_serious_violations(new_page, dashboard: Dashboard) -> None:
    page = new_page(bypass_csp=True)  # the pages' CSP forbids injected scripts, axe's included
    page.goto(dashboard.url + "/review/login")
    assert serious_violations(page) == []
    log_in(page, dashboard, name="admin.one")
    for path in ("/review/", "/review/gaps", "/review/topics/child_missing", "/review/audit"):
        page.goto(dashboard.url + path)
        page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        assert serious_violations(page) == [], path


def test_phone_width_and_keyboard_only(new_page, dashboard: Dashboard) -> None:
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    page.goto(dashboard.url + "/review/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")
    expect(page.get_by_label("Account name")).to_be_focused()
    page.keyboard.type("board.member")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="What practitioners asked")).to_be_visible()
    for path in ("/review/", "/review/gaps"):
        page.goto(dashboard.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
    page.get_by_role("link", name="Overview").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="What practitioners asked")).to_be_visible()
