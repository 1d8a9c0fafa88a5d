"""python -m bot users, as an administrator runs it: a subprocess, the password piped in."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from typing import Callable

import pytest

from bot import settings
from bot.review.accounts import MAX_FAILED_LOGINS, Accounts

PASSWORD = "a long enough password"


@pytest.fixture
def users(sqlite_url, tmp_path) -> Callable[..., subprocess.CompletedProcess]:
    url = sqlite_url

    def run(*arguments: str, password: str | None = None) -> subprocess.CompletedProcess:
        env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "RASA_TELEMETRY_ENABLED": "false", "HOME": str(tmp_path)}
        return subprocess.run([sys.executable, "-m", "bot", "users", *arguments], cwd=settings.ROOT, env=env,
                              input=None if password is None else password + "\n", capture_output=True, text=True,
                              timeout=60)

    run.url = url
    return run


def test_add_list_and_refuse_duplicates_and_short_passwords(users) -> None:
    added = users("add", "Board.Member", "--role", "board", password=PASSWORD)
    assert added.returncode == 0, added.stderr
    assert "Added board.member (board)" in added.stdout and PASSWORD not in added.stdout + added.stderr
    again = users("add", "board.member", "--role", "trainer", password=PASSWORD)
    assert again.returncode == 2 and "an account called 'board.member' already exists" in again.stderr
    short = users("add", "trainer.one", "--role", "trainer", password="too short")
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    listed = users("list")
    assert listed.returncode == 0
    assert [line.split() for line in listed.stdout.splitlines()[2:]] == [["board.member", "board", "active"]]
    account = Accounts(users.url).authenticate("board.member", PASSWORD)
    assert account is not None and account.role == "board"


def test_unlock_set_password_and_remove(users) -> None:
    assert users("add", "admin.one", "--role", "admin", password=PASSWORD).returncode == 0
    accounts = Accounts(users.url)
    for _ in range(MAX_FAILED_LOGINS):
        accounts.authenticate("admin.one", "wrong password")
    assert accounts.get("admin.one").locked(datetime.now(timezone.utc))
    assert "locked until" in users("list").stdout
    unlocked = users("unlock", "admin.one")
    assert unlocked.returncode == 0 and not accounts.get("admin.one").locked(datetime.now(timezone.utc))
    changed = users("set-password", "admin.one", password="another long password")
    assert changed.returncode == 0, changed.stderr
    assert accounts.authenticate("admin.one", "another long password") is not None
    assert users("remove", "admin.one").returncode == 0
    assert accounts.get("admin.one") is None
    missing = users("remove", "admin.one")
    assert missing.returncode == 2 and "no account called 'admin.one'" in missing.stderr


def test_no_password_piped_and_no_database(users, tmp_path) -> None:
    empty = users("add", "someone", "--role", "board", password="")
    assert empty.returncode == 2 and "at least 12 characters" in empty.stderr
    nothing = subprocess.run([sys.executable, "-m", "bot", "users", "list"], cwd=settings.ROOT, capture_output=True,
                             text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                          "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"})
    assert nothing.returncode == 2 and "run `python -m bot db upgrade`" in nothing.stderr


def test_account_changes_are_in_the_audit_trail(users) -> None:
    from bot.review.audit import AuditTrail

    assert users("add", "trainer.two", "--role", "trainer", password=PASSWORD).returncode == 0
    assert users("unlock", "trainer.two").returncode == 0
    assert users("set-password", "trainer.two", password=PASSWORD + "!").returncode == 0
    assert users("remove", "trainer.two").returncode == 0
    entries = list(reversed(AuditTrail(users.url).entries()))
    assert [entry.action for entry in entries] == ["add account", "unlock account", "set password",
                                                   "remove account"]
    assert all(entry.user_name.startswith("command line (") for entry in entries)
    assert '"account":"trainer.two"' in entries[0].filter and '"role":"trainer"' in entries[0].filter
    assert all(PASSWORD not in entry.filter for entry in entries)
