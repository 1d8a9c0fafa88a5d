"""The findings of the security test, each reproduced, in-process: common passwords, the lock-out race, session
nonces across re-creation, a lock that a known browser passes, the rate limit, login threads and audit rows."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from bot.review import permissions, ratelimit
from bot.review.accounts import LOCKED, MAX_FAILED_LOGINS, UNKNOWN_ACCOUNT, WRONG_PASSWORD, AccountError, Accounts
from bot.review.appkeys import LOGIN_THROTTLE, LOGINS_IN_FLIGHT
from bot.review.audit import AuditTrail
from tests.fixtures import Clock
from tests.review.helpers import PASSWORD, csrf_token, fast_hasher
from tests.review.test_access import in_process, log_in


@pytest.mark.parametrize("password", [
    "aaaaaaaaaaaa", "password1234", "Password1234!", "123456789012", "1234567890123", "abcdefghijkl",
    "abcabcabcabc", "qwertyuiop12", "iloveyou1234", "Safeguarding2024!", "dashboard!!!!", "zyxwvutsrqpo",
    "   sunshine2024   ",
])
def test_common_and_easily_guessed_passwords_are_refused(accounts: Accounts, password: str) -> None:
    with pytest.raises(AccountError, match="too common"):
        accounts.add("board.member", "board", password)
    accounts.add("trainer.one", "trainer", PASSWORD)
    with pytest.raises(AccountError, match="too common"):
        accounts.set_password("trainer.one", password)


@pytest.mark.parametrize("password", [PASSWORD, "a long enough password", "plum kettle orbit 42", "Tq7#vLp2!mZx"])
def test_ordinary_good_passwords_are_accepted(accounts: Accounts, password: str) -> None:
    accounts.add("board.member", "board", password)


def test_the_password_must_not_contain_the_account_name(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match="account name"):
        accounts.add("philippa", "board", "philippa is my name")


def test_a_re_created_account_gets_a_new_session_nonce(accounts: Accounts) -> None:
    first = accounts.add("board.member", "board", PASSWORD)
    accounts.remove("board.member")
    again = accounts.add("board.member", "admin", PASSWORD)
    assert first.session_nonce and again.session_nonce and first.session_nonce != again.session_nonce
    assert first.session_version == again.session_version == 0  # what let the old session back in
    accounts.end_sessions("board.member")
    assert accounts.get("board.member").session_nonce not in (again.session_nonce, None)


class SlowHasher:
    """While the first check of the real hash runs, more attempts arrive: the lock-out race, made certain."""

    def __init__(self, accounts_factory, arrivals: int) -> None:
        self.inner, self.real_checks, self.arrivals = fast_hasher(), 0, arrivals
        self.factory, self.outcomes, self.real_hash = accounts_factory, [], ""

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def check_needs_rehash(self, password_hash: str) -> bool:
        return False

    def verify(self, password_hash: str, password: str) -> bool:
        if password_hash == self.real_hash:  # the account's own hash, not the dummy
            self.real_checks += 1
            if self.real_checks == 1:
                for _ in range(self.arrivals):
                    self.outcomes.append(self.factory().attempt("board.member", "wrong password, again").outcome)
        return self.inner.verify(password_hash, password)


def test_concurrent_attempts_cannot_check_more_passwords_than_the_limit(sqlite_url: str) -> None:
    plain = Accounts(sqlite_url, hasher=fast_hasher())
    plain.add("board.member", "board", PASSWORD)
    hasher = SlowHasher(lambda: Accounts(sqlite_url, hasher=hasher), arrivals=7)  # type: ignore[arg-type]
    with plain.engine.connect() as connection:
        hasher.real_hash = connection.exec_driver_sql("SELECT password_hash FROM review_account").scalar_one()
    slow = Accounts(sqlite_url, hasher=hasher)  # type: ignore[arg-type]
    assert slow.attempt("board.member", "wrong password, first").outcome == WRONG_PASSWORD
    assert hasher.real_checks == MAX_FAILED_LOGINS  # 8 attempts, 5 checks: the other 3 refused unchecked
    assert hasher.outcomes.count(LOCKED) == 3
    assert Accounts(sqlite_url, hasher=fast_hasher()).get("board.member").locked(datetime.now(timezone.utc))


def test_a_trusted_browser_passes_the_lock_and_others_do_not(sqlite_url: str) -> None:
    clock = Clock(datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc))
    accounts = Accounts(sqlite_url, hasher=fast_hasher(), clock=clock)
    accounts.add("board.member", "board", PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):
        accounts.attempt("board.member", "wrong password!")
    assert accounts.attempt("board.member", PASSWORD).outcome == LOCKED
    assert accounts.attempt("board.member", PASSWORD, trusted=True).account is not None
    assert accounts.attempt("board.member", "wrong password!", trusted=True).outcome == WRONG_PASSWORD
    assert accounts.attempt("nobody.here", PASSWORD).outcome == UNKNOWN_ACCOUNT


# -- through the dashboard, in-process -----------------------------------------------------------------------


async def post_login(client: TestClient, name: str, password: str, **headers: str) -> ClientResponse:
    token = csrf_token(await (await client.get("/review/login")).text())
    return await client.post("/review/login", data={"name": name, "password": password, "csrf_token": token},
                             allow_redirects=False, headers=headers)


def test_login_attempts_are_audited_without_the_typed_password(sqlite_url: str) -> None:
    Accounts(sqlite_url, hasher=fast_hasher()).add("board.member", "board", PASSWORD)

    async def scenario(client: TestClient) -> None:
        assert (await post_login(client, "board.member", "typed-secret-1")).status == 401
        assert (await post_login(client, "not.an.account", "typed-secret-2")).status == 401
        await log_in(client)
        page = await (await client.get("/review/")).text()
        assert (await client.post("/review/logout", data={"csrf_token": csrf_token(page)},
                                  allow_redirects=False)).status == 303

    in_process(sqlite_url, scenario)
    rows = [(entry.user_name, entry.action, entry.filter) for entry in AuditTrail(sqlite_url).entries()]
    assert [row for row in rows if row[1] in permissions.LOGINS] == [
        ("board.member", "log out", "{}"),
        ("board.member", "log in", "{}"),
        ("(unknown account)", "failed login", '{"reason":"unknown account"}'),
        ("board.member", "failed login", '{"reason":"wrong password"}'),
    ]
    assert not any("typed-secret" in str(row) or "not.an.account" in str(row) for row in rows)


def test_passwords_are_checked_on_the_login_threads_only(sqlite_url: str, monkeypatch) -> None:
    Accounts(sqlite_url, hasher=fast_hasher()).add("board.member", "board", PASSWORD)
    threads = []
    original = Accounts.attempt

    def spy(self, *args, **kwargs):
        threads.append(threading.current_thread().name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Accounts, "attempt", spy)

    async def scenario(client: TestClient) -> None:
        await log_in(client)
        assert (await post_login(client, "board.member", "wrong password!")).status == 401

    in_process(sqlite_url, scenario)
    assert len(threads) == 2 and all(name.startswith("review-login") for name in threads)


def test_too_many_logins_being_checked_at_once_get_503(sqlite_url: str) -> None:
    async def scenario(client: TestClient) -> None:
        client.server.app[LOGINS_IN_FLIGHT][0] = 8
        response = await post_login(client, "board.member", PASSWORD)
        assert response.status == 503 and response.headers["Retry-After"] == "5"
        client.server.app[LOGINS_IN_FLIGHT][0] = 0

    in_process(sqlite_url, scenario)


def test_the_login_rate_limit_is_per_address_and_good_logins_do_not_count(sqlite_url: str, monkeypatch) -> None:
    Accounts(sqlite_url, hasher=fast_hasher()).add("board.member", "board", PASSWORD)
    addresses = {"now": "203.0.113.1"}
    monkeypatch.setattr(ratelimit, "client_address", lambda request, trusted=(): addresses["now"])

    async def scenario(client: TestClient) -> None:
        throttle = client.server.app[LOGIN_THROTTLE]  # 3 attempts per 15 minutes, set in place
        throttle.capacity, throttle.rate = 3.0, 3 / 900
        for _ in range(5):  # good logins give their token back
            assert (await post_login(client, "board.member", PASSWORD)).status == 303
        statuses = [(await post_login(client, "board.member", "wrong password!")).status for _ in range(3)]
        refused = await post_login(client, "board.member", PASSWORD)
        assert statuses == [401, 401, 401] and refused.status == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 900
        assert "Too many login attempts" in await refused.text()
        addresses["now"] = "203.0.113.2"  # another address is not held back
        assert (await post_login(client, "board.member", PASSWORD)).status == 303

    in_process(sqlite_url, scenario)
