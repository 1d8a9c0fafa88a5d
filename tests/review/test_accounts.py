"""Dashboard accounts: hashed passwords, names and roles, lock-out."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.review.accounts import LOCKOUT, MAX_FAILED_LOGINS, AccountError, Accounts
from tests.fixtures import Clock
from tests.review.helpers import fast_hasher

PASSWORD = "a long enough password"


class CountingHasher:
    """Counts the password verifications, to show every login attempt pays for one."""

    def __init__(self) -> None:
        self.inner, self.verified = fast_hasher(), 0

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        return self.inner.verify(password_hash, password)

    def check_needs_rehash(self, password_hash: str) -> bool:
        return self.inner.check_needs_rehash(password_hash)


def test_passwords_are_stored_as_argon2id_hashes(accounts, sqlite_url) -> None:
    accounts.add("Board.Member", "board", PASSWORD)
    with accounts.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT name, role, password_hash FROM review_account").one()
    assert stored.name == "board.member" and stored.role == "board"
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert accounts.authenticate("BOARD.member", PASSWORD).name == "board.member"
    assert accounts.authenticate("board.member", PASSWORD + "x") is None


def test_duplicate_names_bad_names_roles_and_passwords_are_refused(accounts) -> None:
    accounts.add("trainer.one", "trainer", PASSWORD)
    with pytest.raises(AccountError, match="already exists"):
        accounts.add("Trainer.One", "board", PASSWORD)
    with pytest.raises(AccountError, match="at least 12 characters"):
        accounts.add("someone", "board", "short")
    with pytest.raises(AccountError, match="unknown role"):
        accounts.add("someone", "superuser", PASSWORD)
    with pytest.raises(AccountError, match="not a usable account name"):
        accounts.add("<script>", "board", PASSWORD)
    with pytest.raises(AccountError, match="account name"):
        accounts.add("someone.else1", "board", "someone.else1")
    assert [account.name for account in accounts.all()] == ["trainer.one"]


def test_lock_out_after_repeated_failures_and_unlock(sqlite_url) -> None:
    clock = Clock(datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc))
    accounts = Accounts(sqlite_url, hasher=fast_hasher(), clock=clock)
    accounts.add("board.member", "board", PASSWORD)
    for _ in range(MAX_FAILED_LOGINS - 1):
        assert accounts.authenticate("board.member", "wrong password!") is None
    assert accounts.get("board.member").failed_logins == MAX_FAILED_LOGINS - 1
    assert accounts.authenticate("board.member", "wrong password!") is None
    assert accounts.get("board.member").locked(clock.now)
    # locked: the right password is refused too, and the lock holds for any process using the database
    assert accounts.authenticate("board.member", PASSWORD) is None
    assert Accounts(sqlite_url, hasher=fast_hasher(), clock=clock).authenticate("board.member", PASSWORD) is None
    clock.now += LOCKOUT - timedelta(seconds=1)
    assert accounts.authenticate("board.member", PASSWORD) is None
    clock.now += timedelta(seconds=2)
    assert accounts.authenticate("board.member", PASSWORD) is not None
    # locked again, then unlocked by an admin
    for _ in range(MAX_FAILED_LOGINS):
        accounts.authenticate("board.member", "wrong password!")
    assert accounts.authenticate("board.member", PASSWORD) is None
    accounts.unlock("board.member")
    assert accounts.authenticate("board.member", PASSWORD) is not None
    assert accounts.get("board.member").failed_logins == 0


def test_a_good_login_resets_the_failure_count(accounts) -> None:
    accounts.add("board.member", "board", PASSWORD)
    for _ in range(MAX_FAILED_LOGINS - 1):
        accounts.authenticate("board.member", "wrong password!")
    assert accounts.authenticate("board.member", PASSWORD) is not None
    assert accounts.authenticate("board.member", "wrong password!") is None
    assert not accounts.get("board.member").locked(datetime.now(timezone.utc))


def test_unknown_names_and_locked_accounts_cost_a_verification_too(sqlite_url) -> None:
    hasher = CountingHasher()
    accounts = Accounts(sqlite_url, hasher=hasher)  # type: ignore[arg-type]
    accounts.add("board.member", "board", PASSWORD)
    for name in ("nobody.here", "board.member", "not a valid name!"):
        before = hasher.verified
        assert accounts.authenticate(name, "wrong password!") is None
        assert hasher.verified == before + 1, name


def test_set_password_unlocks_and_ends_sessions(accounts) -> None:
    accounts.add("board.member", "board", PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):
        accounts.authenticate("board.member", "wrong password!")
    version = accounts.get("board.member").session_version
    accounts.set_password("board.member", "another long password")
    account = accounts.get("board.member")
    assert account.locked_until is None and account.session_version == version + 1
    assert accounts.authenticate("board.member", PASSWORD) is None
    assert accounts.authenticate("board.member", "another long password") is not None
    accounts.end_sessions("board.member")
    assert accounts.get("board.member").session_version == version + 2


def test_remove_and_unknown_accounts(accounts) -> None:
    accounts.add("board.member", "board", PASSWORD)
    accounts.remove("board.member")
    assert accounts.get("board.member") is None
    assert accounts.authenticate("board.member", PASSWORD) is None
    for change in (accounts.remove, accounts.unlock):
        with pytest.raises(AccountError, match="no account called 'board.member'"):
            change("board.member")
