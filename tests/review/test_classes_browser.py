"""The trainers' class pages in headless Chromium: create a class, see its code, open its results, download the
CSV; axe-core on both pages."""
from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from bot.content import scenarios
from tests.review import seed
from tests.review.helpers import Dashboard
from tests.review.test_dashboard_browser import log_in, serious_violations


def test_trainer_creates_a_class_opens_its_results_and_downloads_the_csv(new_page, dashboard: Dashboard) -> None:
    page = new_page(bypass_csp=True)  # the pages' CSP forbids injected scripts, axe's included
    log_in(page, dashboard, name="trainer.one")
    page.get_by_role("link", name="Classes", exact=True).click()
    expect(page.get_by_role("heading", name="Training classes")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_label("Class name (optional)").fill("Browser session")
    page.get_by_role("button", name="Create a class").click()
    expect(page.get_by_role("heading", name="Class created")).to_be_visible()
    code = page.locator("#new-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    expect(page.get_by_text(f"join class {code}", exact=True)).to_be_visible()
    row = page.locator("#classes tbody tr", has_text=code)
    expect(row.get_by_role("link")).to_have_attribute("href", f"/review/classes/{code}")
    expect(row).to_contain_text("Browser session")
    expect(row).to_contain_text("open")

    content = scenarios.load()
    plan = seed.answer_class(dashboard.database_url, code, content)  # the trainees answer
    page.get_by_role("link", name="See this class's results").click()
    expect(page.get_by_role("heading", name=f"Class {code}: Browser session")).to_be_visible()
    expect(page.locator("#participants")).to_have_text("30")
    expect(page.get_by_role("img", name=f"Class {code}: answered correctly, per scenario")).to_be_visible()
    first = content[0]
    expect(page.locator(f"#scenario-{first.id} .correct")).to_have_text("70% (21)")
    page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
    assert serious_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the results (CSV)").click()
    assert download.value.suggested_filename == f"class-{code}-results.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert [row["scenario_id"] for row in rows] == list(plan)
    assert (rows[0]["class_code"], rows[0]["percent_correct"], rows[0]["answered"]) == (code, "70", "30")

    page.get_by_role("link", name="Back to the classes").click()
    page.get_by_role("button", name=f"Close class {code}").click()
    expect(page.get_by_text(f"Class {code} is closed")).to_be_visible()
    expect(page.get_by_role("button", name=f"Close class {code}")).to_have_count(0)
