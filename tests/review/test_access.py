"""Who may see what: no page or export without a login, 403 for a role without the page, CSRF on every POST,
session cookie flags, and sessions that end (log-out, idle, lifetime)."""
from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Awaitable, Callable

import pytest
import requests
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.fernet import Fernet

from bot.db.engine import engine_for
from bot.quiz.classes import Classes
from bot.review import app as dashboard_app
from bot.review import auth, filters, gaps, permissions
from bot.review.accounts import Accounts
from bot.review.appkeys import ACCOUNTS
from bot.review.audit import AuditTrail
from bot.review.config import ReviewSettings
from tests.review import seed
from tests.review.helpers import PASSWORD, Dashboard, csrf_token, fast_hasher

SEEDED_TEXTS = [seed.THEME_HOTEL[0], seed.THEME_NRM[0], "philomena", "asylum"]


def group_key(dashboard: Dashboard) -> str:
    return gaps.find(engine_for(dashboard.database_url), filters.default(seed.today())).groups[0].key


def class_code(dashboard: Dashboard) -> str:
    """A class to open: the first there is, else a new one."""
    classes = Classes(dashboard.database_url)
    found = classes.list()
    return found[0].code if found else classes.create("Access checks").code


def review_urls(dashboard: Dashboard) -> dict:
    """Every page and export, with the permission it needs."""
    code = class_code(dashboard)
    return {
        "/review/": "view overview",
        "/review/gaps": "view gaps",
        "/review/topics/child_missing": "view topic",
        "/review/audit": "view audit",
        "/review/export.csv": "export csv",
        "/review/export.csv?scope=gaps": "export csv",
        "/review/report.html": "export html",
        f"/review/gaps/{group_key(dashboard)}.yml": "export nlu",
        "/review/classes": "view classes",
        f"/review/classes/{code}": "view class",
        f"/review/classes/{code}.csv": "export class csv",
    }


def test_every_permission_is_an_audit_action_and_has_a_page() -> None:
    every = set().union(*permissions.PERMISSIONS.values())
    assert every == set(permissions.ACTIONS) - set(permissions.ACCOUNT_CHANGES) - set(permissions.LOGINS)
    assert {"view classes", "view class", "create class", "close class", "export class csv"} <= every


def test_nothing_without_a_login(dashboard: Dashboard) -> None:
    for path in review_urls(dashboard):
        response = requests.get(dashboard.url + path, allow_redirects=False, timeout=30)
        assert response.status_code == 303, path
        assert response.headers["Location"].startswith("/review/login?next=")
        assert not any(text in response.text for text in SEEDED_TEXTS), path
        followed = requests.get(dashboard.url + path, timeout=30)
        assert followed.url.startswith(f"{dashboard.url}/review/login")
        assert "Log in to the review dashboard" in followed.text
        assert not any(text in followed.text for text in SEEDED_TEXTS), path


@pytest.mark.parametrize("name, forbidden", [
    ("board.member", {"view audit", "view classes", "view class", "export class csv"}),
    ("trainer.one", {"view audit"}),
    ("admin.one", set()),
])
def test_each_role_sees_its_pages_and_gets_403_for_the_rest(dashboard: Dashboard, name, forbidden) -> None:
    session = dashboard.login(name)
    for path, permission in review_urls(dashboard).items():
        response = session.get(dashboard.url + path, allow_redirects=False, timeout=60)
        if permission in forbidden:
            assert response.status_code == 403, path
            assert "You do not have access to this page" in response.text
            assert "view overview" not in response.text and seed.THEME_HOTEL[0] not in response.text
        else:
            assert response.status_code == 200, (path, response.text[:300])
    assert session.get(dashboard.url + "/review/", timeout=30).headers["Cache-Control"] == "no-store"


def test_views_and_exports_are_in_the_audit_trail(dashboard: Dashboard) -> None:
    session = dashboard.login("trainer.one")
    session.get(dashboard.url + "/review/gaps?since=2024-01-01&until=2024-01-31&channel=teams", timeout=30)
    session.get(dashboard.url + "/review/export.csv?scope=gaps", timeout=30)
    entries = [entry for entry in AuditTrail(dashboard.database_url).entries() if entry.user_name == "trainer.one"]
    assert (entries[0].action, entries[1].action) == ("export csv", "view gaps")
    assert entries[1].filter == '{"channel":"teams","since":"2024-01-01","until":"2024-01-31"}'
    assert '"scope":"gaps"' in entries[0].filter


def test_posts_need_the_csrf_token(dashboard: Dashboard) -> None:
    browser = requests.Session()
    token = csrf_token(browser.get(dashboard.url + "/review/login", timeout=30).text)
    for data in ({}, {"csrf_token": ""}, {"csrf_token": token + "x"}):
        response = browser.post(dashboard.url + "/review/login", allow_redirects=False, timeout=30,
                                data={"name": "admin.one", "password": PASSWORD, **data})
        assert response.status_code == 403 and "The form has expired" in response.text
    # a token from another session will not do either
    other = requests.Session()
    other.get(dashboard.url + "/review/login", timeout=30)
    response = other.post(dashboard.url + "/review/login", data={"name": "admin.one", "password": PASSWORD,
                                                                 "csrf_token": token}, allow_redirects=False)
    assert response.status_code == 403
    assert other.get(dashboard.url + "/review/", allow_redirects=False, timeout=30).status_code == 303
    # logged in, logging out needs it too
    session = dashboard.login("admin.one")
    assert session.post(dashboard.url + "/review/logout", allow_redirects=False, timeout=30).status_code == 403
    assert session.get(dashboard.url + "/review/", allow_redirects=False, timeout=30).status_code == 200


def test_log_out_ends_the_session_even_for_a_copied_cookie(dashboard: Dashboard) -> None:
    session = dashboard.login("leaving.soon")
    copied = dict(session.cookies)
    page = session.get(dashboard.url + "/review/", timeout=30).text
    response = session.post(dashboard.url + "/review/logout", data={"csrf_token": csrf_token(page)},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 303 and response.headers["Location"] == "/review/login?out=1"
    assert session.get(dashboard.url + "/review/", allow_redirects=False, timeout=30).status_code == 303
    replayed = requests.get(dashboard.url + "/review/", cookies=copied, allow_redirects=False, timeout=30)
    assert replayed.status_code == 303


def test_cookie_flags_on_plain_http_when_configured(dashboard: Dashboard) -> None:
    response = requests.get(dashboard.url + "/review/login", timeout=30)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("review_session=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/review" in cookie
    assert "Secure" not in cookie  # this server runs with REVIEW_COOKIE_SECURE=false
    assert "expires" not in cookie.lower() and "max-age" not in cookie.lower()  # gone when the browser closes


def test_bad_input_gets_a_400_page_not_a_crash(dashboard: Dashboard) -> None:
    session = dashboard.login("board.member")
    for path, message in [
        ("/review/?since=2024-02-30", "“From” must be a date like 2024-03-31"),
        ("/review/gaps?since=2024-03-02&until=2024-03-01", "is after the"),
        ("/review/export.csv?channel=%3Cscript%3E", "The channel “&lt;script&gt;” is not one"),
        ("/review/export.csv?scope=everything", "is not something to export"),
        ("/review/topics/no%20such", "is not a topic name"),
    ]:
        response = session.get(dashboard.url + path, timeout=30)
        assert response.status_code == 400, path
        assert message in response.text, path
        assert "<script>" not in response.text
    stale = session.get(dashboard.url + "/review/gaps/0000000000000000.yml", timeout=30)
    assert stale.status_code == 404 and "That group has changed" in stale.text
    assert session.get(dashboard.url + "/review/nothing-here", timeout=30).status_code == 404


def test_login_goes_only_to_dashboard_pages(dashboard: Dashboard) -> None:
    for target, expected in [("/review/gaps?since=2024-01-01", "/review/gaps?since=2024-01-01"),
                             ("//evil.example/review/", "/review/"), ("https://evil.example/", "/review/"),
                             ("/reviewer", "/review/"), ("/review\\@evil.example", "/review/")]:
        browser = requests.Session()
        token = csrf_token(browser.get(dashboard.url + "/review/login", timeout=30).text)
        response = browser.post(dashboard.url + "/review/login", allow_redirects=False, timeout=30,
                                data={"name": "board.member", "password": PASSWORD, "csrf_token": token,
                                      "next": target})
        assert response.status_code == 303 and response.headers["Location"] == expected, target


def test_a_failed_login_says_the_same_whatever_the_reason(dashboard: Dashboard) -> None:
    texts = []
    for name, password in [("nobody.at.all", PASSWORD), ("board.member", "wrong password, long")]:
        browser = requests.Session()
        token = csrf_token(browser.get(dashboard.url + "/review/login", timeout=30).text)
        response = browser.post(dashboard.url + "/review/login", timeout=30,
                                data={"name": name, "password": password, "csrf_token": token})
        assert response.status_code == 401
        texts.append(re.search(r'<div class="error-summary".*?</div>', response.text, re.S).group(0))
    assert texts[0] == texts[1]
    Accounts(dashboard.database_url).unlock("board.member")


# -- in-process: the Secure flag, and sessions that time out ---------------------------------------------


def in_process(url: str, scenario: Callable[[TestClient], Awaitable[None]], secure: bool = False) -> None:
    settings = ReviewSettings(cookie_secure=secure, idle=timedelta(minutes=30), lifetime=timedelta(hours=8),
                              session_key=Fernet.generate_key())
    app = web.Application()
    dashboard_app.setup(app, settings, url)
    app[ACCOUNTS] = Accounts(url, hasher=fast_hasher())

    async def run() -> None:
        async with TestClient(TestServer(app)) as client:
            await scenario(client)

    # a thread of its own: Playwright's sync API may already run an event loop in this one
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, run()).result()


async def log_in(client: TestClient, name: str = "board.member") -> None:
    token = csrf_token(await (await client.get("/review/login")).text())
    response = await client.post("/review/login", data={"name": name, "password": PASSWORD, "csrf_token": token},
                                 allow_redirects=False)
    assert response.status == 303


def test_cookies_are_secure_by_default(sqlite_url) -> None:
    async def scenario(client: TestClient) -> None:
        cookie = (await client.get("/review/login")).headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie

    in_process(sqlite_url, scenario, secure=True)


def test_sessions_end_when_idle_and_after_their_lifetime(sqlite_url, monkeypatch) -> None:
    Accounts(sqlite_url, hasher=fast_hasher()).add("board.member", "board", PASSWORD)
    clock = {"now": 1_700_000_000.0}
    monkeypatch.setattr(auth.time, "time", lambda: clock["now"])

    async def scenario(client: TestClient) -> None:
        await log_in(client)
        clock["now"] += 29 * 60
        assert (await client.get("/review/", allow_redirects=False)).status == 200
        clock["now"] += 31 * 60  # idle too long
        assert (await client.get("/review/", allow_redirects=False)).status == 303
        await log_in(client)
        for _ in range(16):  # busy all day, never idle for long
            clock["now"] += 29 * 60
            status = (await client.get("/review/", allow_redirects=False)).status
        assert status == 200
        clock["now"] += 29 * 60  # 8 h 12 min after logging in
        assert (await client.get("/review/", allow_redirects=False)).status == 303

    in_process(sqlite_url, scenario)
