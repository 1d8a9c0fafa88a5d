"""The security test's findings on the dashboard, reproduced against the real `python -m bot web`: a re-created
account's old session, large or multipart POSTs, a lock that the account's own browser passes, the login rate
limit per address, and security headers on error and redirect responses."""
from __future__ import annotations

import socket
from pathlib import Path
from typing import Dict, Iterator
from urllib.parse import urlsplit

import pytest
import requests

from bot import serve
from bot.review import permissions
from bot.review.accounts import MAX_FAILED_LOGINS, Accounts
from bot.review.audit import AuditTrail
from tests.fixtures import free_port
from tests.review.helpers import PASSWORD, Dashboard, csrf_token
from tests.servers import web_app


def attempt(dashboard_url: str, name: str, password: str, browser: requests.Session | None = None) -> requests.Response:
    browser = browser or requests.Session()
    token = csrf_token(browser.get(f"{dashboard_url}/review/login", timeout=30).text)
    return browser.post(f"{dashboard_url}/review/login", allow_redirects=False, timeout=60,
                        data={"name": name, "password": password, "csrf_token": token})


def test_a_removed_accounts_session_does_not_come_back_with_a_new_account(dashboard: Dashboard) -> None:
    accounts = Accounts(dashboard.database_url)
    accounts.add("comes.back", "board", PASSWORD)
    old = dashboard.login("comes.back")
    assert old.get(f"{dashboard.url}/review/", allow_redirects=False, timeout=30).status_code == 200
    accounts.remove("comes.back")
    accounts.add("comes.back", "admin", PASSWORD)  # the same name again, with more rights
    response = old.get(f"{dashboard.url}/review/audit", allow_redirects=False, timeout=30)
    assert response.status_code == 303 and response.headers["Location"].startswith("/review/login")
    assert dashboard.login("comes.back").get(f"{dashboard.url}/review/audit", timeout=30).status_code == 200


def head_only(url: str, path: str, headers: Dict[str, str]) -> bytes:
    """Sends a POST's headers and none of its body; returns the status line, which cannot wait for the body."""
    address = urlsplit(url)
    lines = [f"POST {path} HTTP/1.1", f"Host: {address.netloc}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall("\r\n".join(lines).encode())
        return connection.recv(4096)


@pytest.mark.parametrize("path", ["/review/login", "/review/classes", "/review/logout", "/review/anything"])
@pytest.mark.parametrize("headers, status", [
    ({"Content-Type": "multipart/form-data; boundary=x", "Content-Length": "1000000"}, b"415"),
    ({"Content-Type": "application/x-www-form-urlencoded", "Content-Length": "1000000"}, b"413"),
    ({"Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked"}, b"411"),
    ({"Content-Type": "application/json", "Content-Length": "100"}, b"415"),
    ({"Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip", "Content-Length": "100"},
     b"415"),
])
def test_only_small_urlencoded_forms_are_read_and_refusals_come_before_the_body(
        dashboard: Dashboard, path: str, headers: Dict[str, str], status: bytes) -> None:
    answer = head_only(dashboard.url, path, headers)
    assert answer.startswith(b"HTTP/1.1 " + status), answer[:200]
    assert b"Content-Security-Policy: default-src 'self'" in answer and b"Cache-Control: no-store" in answer
    assert requests.get(f"{dashboard.url}/health", timeout=10).status_code == 200


def test_a_browser_that_logged_in_before_passes_the_lock_others_do_not(dashboard: Dashboard) -> None:
    Accounts(dashboard.database_url).add("often.targeted", "board", PASSWORD)
    own = requests.Session()
    assert attempt(dashboard.url, "often.targeted", PASSWORD, own).status_code == 303
    cookie = next(cookie for cookie in own.cookies if cookie.name == "review_device")
    assert cookie.path == "/review/login" and cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.expires  # kept when the browser closes, unlike the session
    for _ in range(MAX_FAILED_LOGINS):  # someone else, elsewhere, keeps guessing
        assert attempt(dashboard.url, "often.targeted", "not the password at all").status_code == 401
    assert attempt(dashboard.url, "often.targeted", PASSWORD).status_code == 401  # a new browser: locked
    assert attempt(dashboard.url, "often.targeted", PASSWORD, own).status_code == 303  # the user's own: in
    rows = [(entry.user_name, entry.action) for entry in AuditTrail(dashboard.database_url).entries()
            if entry.user_name == "often.targeted" and entry.action in permissions.LOGINS]
    assert rows[:3] == [("often.targeted", "log in"), ("often.targeted", "failed login"),
                        ("often.targeted", "failed login")]
    assert rows.count(("often.targeted", "failed login")) == MAX_FAILED_LOGINS + 1


@pytest.fixture(scope="module")
def strict_dashboard(dashboard: Dashboard, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second web app on the same database, allowing 3 login attempts per address per 15 minutes."""
    port = free_port()
    env = {**serve.environment(), "DATABASE_URL": dashboard.database_url, "REVIEW_COOKIE_SECURE": "false",
           "REVIEW_SESSION_KEY_FILE": str(dashboard.directory / "review_session.key"),
           "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}", "REVIEW_LOGIN_ATTEMPTS": "3"}
    env.pop("REVIEW_SESSION_KEY", None)
    log: Path = tmp_path_factory.mktemp("strict-review") / "web.log"
    with web_app(port, free_port(), env, log) as url:
        yield url


def test_login_attempts_over_the_limit_get_429_with_retry_after(strict_dashboard: str) -> None:
    for _ in range(4):  # good logins give their token back
        assert attempt(strict_dashboard, "board.member", PASSWORD).status_code == 303
    names = ["sprayed.one", "sprayed.two", "sprayed.three"]
    assert [attempt(strict_dashboard, name, "Spring2024!").status_code for name in names] == [401, 401, 401]
    refused = attempt(strict_dashboard, "board.member", PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Too many login attempts" in refused.text
    assert refused.headers["Content-Security-Policy"].startswith("default-src 'self'")


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/review", 301), ("GET", "/review/", 303), ("GET", "/review/nothing", 404),
    ("GET", "/review/?since=2024-02-30", 303), ("PUT", "/nothing", 404), ("POST", "/", 405),
])
def test_error_and_redirect_responses_carry_the_security_headers(dashboard: Dashboard, method: str, path: str,
                                                                 status: int) -> None:
    response = requests.request(method, dashboard.url + path, allow_redirects=False, timeout=30,
                                headers={"Host": "evil.example"})
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "evil" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
