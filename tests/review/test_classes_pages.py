"""The trainers' class pages (/review/classes): who may use them, creating and closing a class, a seeded class's
results and CSV export, markup in a class name shown as text, and the audit trail."""
from __future__ import annotations

import csv
import html
import io
import re
from typing import Dict, Iterator, List, Tuple

import pytest
import requests
from markupsafe import escape

from bot.content import scenarios
from bot.quiz.classes import Classes
from bot.review.audit import AuditTrail
from tests.review import seed
from tests.review.helpers import Dashboard, csrf_token

XSS_NAME = "<script>alert(1)</script>"
FORMULA_NAME = "=HYPERLINK(\"http://evil.example\")"


@pytest.fixture(scope="module")
def content() -> list:
    return scenarios.load()


@pytest.fixture(scope="module")
def seeded(dashboard: Dashboard, content: list) -> Iterator[Tuple[str, Dict[str, List[Tuple[str, int]]]]]:
    """A class with 30 participants' known answers (seed.class_plan)."""
    code = Classes(dashboard.database_url).create("Seeded session").code
    yield code, seed.answer_class(dashboard.database_url, code, content)


def page_text(response: requests.Response) -> str:
    """The page's text with tags removed and entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", response.text)).split())


def row(response: requests.Response, element_id: str) -> str:
    found = re.search(rf'<tr id="{element_id}">(.*?)</tr>', response.text, re.S)
    assert found, element_id
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def post(session: requests.Session, dashboard: Dashboard, path: str, **data: str) -> requests.Response:
    token = csrf_token(session.get(dashboard.url + "/review/classes", timeout=30).text)
    return session.post(dashboard.url + path, data={"csrf_token": token, **data}, allow_redirects=False, timeout=30)


# -- access ------------------------------------------------------------------------------------------------


def test_no_login_goes_to_the_login_page(dashboard: Dashboard, seeded) -> None:
    code, _ = seeded
    for path in ("/review/classes", f"/review/classes/{code}", f"/review/classes/{code}.csv",
                 "/review/classes/ZZZZ99"):
        response = requests.get(dashboard.url + path, allow_redirects=False, timeout=30)
        assert response.status_code == 303, path
        assert response.headers["Location"].startswith("/review/login?next=")
        assert code not in response.text
    # a POST from no session has no CSRF token: refused before anything happens
    before = len(Classes(dashboard.database_url).list())
    response = requests.post(dashboard.url + "/review/classes", data={"name": "x"}, allow_redirects=False, timeout=30)
    assert response.status_code == 403
    assert len(Classes(dashboard.database_url).list()) == before


def test_board_members_get_403_and_no_link(dashboard: Dashboard, seeded) -> None:
    code, _ = seeded
    session = dashboard.login("board.member")
    assert 'href="/review/classes"' not in session.get(dashboard.url + "/review/", timeout=30).text
    for path in ("/review/classes", f"/review/classes/{code}", f"/review/classes/{code}.csv"):
        response = session.get(dashboard.url + path, allow_redirects=False, timeout=30)
        assert response.status_code == 403, path
        assert "You do not have access to this page" in response.text
        assert "Seeded session" not in response.text
    # with a valid CSRF token, still 403: the role is checked on the server, not by hiding the form
    token = csrf_token(session.get(dashboard.url + "/review/", timeout=30).text)
    before = len(Classes(dashboard.database_url).list())
    for path in ("/review/classes", f"/review/classes/{code}/close"):
        response = session.post(dashboard.url + path, data={"csrf_token": token, "name": "board"},
                                allow_redirects=False, timeout=30)
        assert response.status_code == 403, path
    assert len(Classes(dashboard.database_url).list()) == before
    assert Classes(dashboard.database_url).get(code).is_open


def test_trainers_see_the_link_and_posts_need_the_csrf_token(dashboard: Dashboard) -> None:
    session = dashboard.login("trainer.one")
    overview = session.get(dashboard.url + "/review/", timeout=30).text
    assert 'href="/review/classes"' in overview
    code = Classes(dashboard.database_url).create("CSRF check").code
    before = len(Classes(dashboard.database_url).list())
    for data in ({}, {"csrf_token": ""}, {"csrf_token": "not-the-token"}):
        created = session.post(dashboard.url + "/review/classes", data={"name": "no token", **data},
                               allow_redirects=False, timeout=30)
        assert created.status_code == 403 and "The form has expired" in created.text
        closed = session.post(dashboard.url + f"/review/classes/{code}/close", data=data, allow_redirects=False,
                              timeout=30)
        assert closed.status_code == 403
    assert len(Classes(dashboard.database_url).list()) == before
    assert Classes(dashboard.database_url).get(code).is_open


# -- creating and closing ----------------------------------------------------------------------------------


def test_create_and_close_a_class_through_the_page(dashboard: Dashboard) -> None:
    session = dashboard.login("trainer.one")
    response = post(session, dashboard, "/review/classes", name="  Session   12 Nov ")
    assert response.status_code == 303 and response.headers["Location"] == "/review/classes"
    newest = Classes(dashboard.database_url).list()[-1]
    assert newest.name == "Session 12 Nov" and newest.is_open
    page = session.get(dashboard.url + "/review/classes", timeout=30)
    assert f'<p class="class-code" id="new-code">{newest.code}</p>' in page.text
    assert f"Trainees type: join class {newest.code}" in page_text(page)
    # said once: a reload shows the list, not the announcement again
    again = session.get(dashboard.url + "/review/classes", timeout=30)
    assert 'id="new-code"' not in again.text and newest.code in again.text

    response = post(session, dashboard, f"/review/classes/{newest.code.lower()}/close")
    assert response.status_code == 303
    closed = Classes(dashboard.database_url).get(newest.code)
    assert not closed.is_open
    page = session.get(dashboard.url + "/review/classes", timeout=30)
    assert f"Class {newest.code} is closed" in page_text(page)
    assert f"/review/classes/{newest.code}/close" not in page.text  # no close button for a closed class
    # closing again keeps the first time; an unknown class is a 404 page
    assert post(session, dashboard, f"/review/classes/{newest.code}/close").status_code == 303
    assert Classes(dashboard.database_url).get(newest.code).closed_at == closed.closed_at
    missing = post(session, dashboard, "/review/classes/ZZZZ99/close")
    assert missing.status_code == 404 and "There is no such class" in missing.text


def test_a_long_name_is_shortened_and_a_blank_one_is_no_name(dashboard: Dashboard) -> None:
    session = dashboard.login("admin.one")
    assert post(session, dashboard, "/review/classes", name="x" * 500).status_code == 303
    assert Classes(dashboard.database_url).list()[-1].name == "x" * 80
    assert post(session, dashboard, "/review/classes", name="   ").status_code == 303
    assert Classes(dashboard.database_url).list()[-1].name is None


# -- results -----------------------------------------------------------------------------------------------


def test_the_list_counts_participants_and_answers(dashboard: Dashboard, seeded) -> None:
    code, plan = seeded
    session = dashboard.login("trainer.one")
    page = session.get(dashboard.url + "/review/classes", timeout=30)
    assert page.status_code == 200
    found = re.search(rf'<tr>\s*<th scope="row"><a href="/review/classes/{code}">.*?</tr>', page.text, re.S)
    cells = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", found.group(0), re.S)]
    answers = sum(count for choices in plan.values() for _, count in choices)
    assert cells[0] == "Seeded session" and cells[2] == "open"
    assert cells[3:5] == [str(seed.CLASS_PARTICIPANTS), str(answers)] == ["30", "80"]


def test_a_seeded_class_shows_percent_correct_and_common_wrong_answers(dashboard: Dashboard, seeded,
                                                                       content: list) -> None:
    code, plan = seeded
    by_id = {scenario.id: scenario for scenario in content}
    first, second, third = list(plan)
    session = dashboard.login("trainer.one")
    page = session.get(dashboard.url + f"/review/classes/{code.lower()}", timeout=60)
    assert page.status_code == 200
    text = page_text(page)
    assert f"Class {code}: Seeded session" in text and f"Trainees type: join class {code}" in text
    assert re.search(r'id="participants">30<', page.text) and re.search(r'id="answers">80<', page.text)
    assert re.search(r'id="overall-correct">66.2%<', page.text)  # 53 of 80

    first_row = row(page, f"scenario-{first}")
    assert first_row.startswith(by_id[first].title)
    assert " 30 70% (21) " in f" {first_row} "
    wrong_first = plan[first][1][0]
    assert f"{wrong_first.upper()}: {by_id[first].choice(wrong_first).text} (6)" in first_row
    assert first_row.index("(6)") < first_row.index("(3)")  # most common first

    second_row = row(page, f"scenario-{second}")
    most_common = plan[second][1][0]  # the second wrong choice, 10 times
    assert " 30 40% (12) " in f" {second_row} "
    assert f"{by_id[second].correct_letter.upper()} {most_common.upper()}: " \
           f"{by_id[second].choice(most_common).text} (10)" in second_row
    assert second_row.index("(10)") < second_row.index("(8)")

    third_row = row(page, f"scenario-{third}")
    assert " 20 100% (20) " in f" {third_row} " and third_row.endswith("none")

    # the chart, drawn on the server, and its figures as a table
    assert page.text.count('<svg') >= 2 and 'role="img"' in page.text
    assert f"Class {code}: answered correctly, per scenario" in text
    assert f"Class {code}: participants by overall score" in text
    assert re.search(rf"<th scope=\"row\">{re.escape(str(escape(by_id[first].title)))}</th><td>70%</td>"
                     r"<td>21</td><td>30</td>", page.text)
    # by overall score: 20 all right in the first 20, ... every participant counted once
    scores = re.findall(r'<th scope="row">(\d+–\d+%)</th><td>(\d+)</td>', page.text)
    assert len(scores) == 5 and sum(int(n) for _, n in scores) == 30


def test_unknown_codes_get_a_404_page(dashboard: Dashboard) -> None:
    session = dashboard.login("trainer.one")
    for path in ("/review/classes/ZZZZ99", "/review/classes/ZZZZ99.csv", "/review/classes/not-a-code",
                 "/review/classes/%3Cscript%3E"):
        response = session.get(dashboard.url + path, timeout=30)
        assert response.status_code == 404, path
        assert "There is no such class" in response.text and "Back to the classes" in response.text
        assert "<script>" not in response.text.split("<main", 1)[1]


def test_csv_export(dashboard: Dashboard, seeded, content: list) -> None:
    code, plan = seeded
    session = dashboard.login("trainer.one")
    response = session.get(dashboard.url + f"/review/classes/{code}.csv", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="class-{code}-results.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [r["scenario_id"] for r in rows] == list(plan)
    first = rows[0]
    assert (first["class_code"], first["class_name"], first["answered"], first["correct"],
            first["percent_correct"]) == (code, "Seeded session", "30", "21", "70")
    wrong = plan[list(plan)[1]][1][0]
    assert rows[1]["common_wrong"].startswith(f"{wrong.upper()} (10): ")
    assert (rows[2]["answered"], rows[2]["percent_correct"], rows[2]["common_wrong"]) == ("20", "100", "")


def test_csv_cells_a_spreadsheet_would_run_are_quoted(dashboard: Dashboard, content: list) -> None:
    classes = Classes(dashboard.database_url)
    quiz_class = classes.create(FORMULA_NAME)
    scenario = content[0]
    classes.record_answer(quiz_class.code, seed.class_participant(99), scenario.id, scenario.correct_letter, True)
    session = dashboard.login("trainer.one")
    response = session.get(dashboard.url + f"/review/classes/{quiz_class.code}.csv", timeout=30)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["class_name"] == "'" + FORMULA_NAME


def test_markup_in_a_class_name_is_shown_as_text(dashboard: Dashboard) -> None:
    session = dashboard.login("trainer.one")
    assert post(session, dashboard, "/review/classes", name=XSS_NAME).status_code == 303
    code = Classes(dashboard.database_url).list()[-1].code
    for path in ("/review/classes", f"/review/classes/{code}"):
        response = session.get(dashboard.url + path, timeout=30)
        assert XSS_NAME not in response.text, path
        assert html.escape(XSS_NAME, quote=False) in response.text, path
        assert XSS_NAME in page_text(response), path


def test_every_view_create_close_and_export_is_audited(dashboard: Dashboard, seeded) -> None:
    code, _ = seeded
    session = dashboard.login("admin.one")
    post(session, dashboard, "/review/classes", name="Audited")  # views the list for its token, then creates
    created = Classes(dashboard.database_url).list()[-1].code
    post(session, dashboard, f"/review/classes/{created}/close")
    session.get(dashboard.url + f"/review/classes/{code}", timeout=30)
    session.get(dashboard.url + f"/review/classes/{code}.csv", timeout=30)
    entries = [entry for entry in AuditTrail(dashboard.database_url).entries() if entry.user_name == "admin.one"]
    assert [(entry.action, entry.filter) for entry in entries[:6]] == [
        ("export class csv", f'{{"code":"{code}"}}'),
        ("view class", f'{{"code":"{code}"}}'),
        ("close class", f'{{"code":"{created}"}}'),
        ("view classes", "{}"),
        ("create class", f'{{"code":"{created}"}}'),
        ("view classes", "{}"),
    ]
    audit = session.get(dashboard.url + "/review/audit", timeout=30).text
    assert "export class csv" in audit and "create class" in audit
