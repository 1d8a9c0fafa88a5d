"""Dashboard accounts: name, role and an argon2 password hash; a lock-out after repeated failed logins.

Everything is in the query-log database (table review_account), so a lock-out holds across restarts
and across several web app processes. Each attempt takes its place in the count before its password is
checked, in one conditional UPDATE, so concurrent attempts can never check more than MAX_FAILED_LOGINS
passwords per lock-out period. A browser that has logged in to the account before (it holds a device
cookie, views/login.py) is not held back by the lock: an attacker can lock out new browsers, not the
account's own users. Guessing from one address is limited by the login's rate limit (views/login.py).

A session is valid only while the account's random session_nonce is the one it was given at login; the
nonce is new whenever the account is added, logs out or gets a new password (bot/review/auth.py).

Passwords: 12 to 1,024 characters, not the account name, and, as NIST SP 800-63B asks, not a common
password: not in the list of 20,000 common passwords shipped beside this file (common-passwords.LICENSE
says where it comes from), nor such a password or a word of this service with digits or symbols added,
nor one character or a short run repeated, nor a sequence such as 123456789012 or abcdefghijkl.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, FrozenSet, List

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.engine import Engine

from bot.db.engine import database_url, engine_for
from bot.db.tables import review_account
from bot.review.permissions import ROLES

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
COMMON_PASSWORDS = Path(__file__).resolve().parent / "common-passwords.txt.gz"
# words of this service that make weak passwords here, with digits or symbols around them
SERVICE_WORDS = frozenset({"safeguarding", "safeguard", "dashboard", "review", "missing", "children", "child",
                           "assistant", "partnership", "password", "admin", "trainer", "board"})
# the outcomes of a login attempt, as the audit trail records them
LOGGED_IN, WRONG_PASSWORD, UNKNOWN_ACCOUNT, LOCKED = "logged in", "wrong password", "unknown account", "locked"


class AccountError(ValueError):
    """An account request that cannot be done; the message says why."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    failed_logins: int
    locked_until: datetime | None
    session_version: int
    session_nonce: str | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def normalise_name(name: str) -> str:
    return name.strip().lower()


def check_name(name: str) -> str:
    name = normalise_name(name)
    if not NAME_PATTERN.fullmatch(name):
        raise AccountError(
            f"{name!r} is not a usable account name: 2 to 64 characters, letters, digits and . _ @ - "
            "(starting with a letter or digit)"
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
    return role


def check_password(password: str, name: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at most {MAX_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise AccountError("the password must not be only spaces")
    if normalise_name(password) == name or (len(name) >= 4 and name in password.lower()):
        raise AccountError("the password must not contain the account name")
    if is_common(password):
        raise AccountError("that password is too common or too easy to guess (a well-known password, a word of "
                           "this service with digits added, repeated characters or a sequence): choose another, "
                           "for example three or four unrelated words")
    return password


@functools.lru_cache(maxsize=1)
def common_passwords() -> FrozenSet[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def is_common(password: str) -> bool:
    """A password that guessing tries first: listed, a listed or service word with digits or symbols around
    it, a short run of characters repeated, or a sequence."""
    lowered = password.lower()
    core = lowered.strip("0123456789!@#$%^&*()-_=+.,;:?/\\|'\"`~[]{}<> ")
    listed = common_passwords() | SERVICE_WORDS
    if lowered in listed or core in listed or core.replace(" ", "") in listed:
        return True
    if any(lowered == lowered[:size] * (len(lowered) // size) for size in range(1, 5) if len(lowered) % size == 0):
        return True
    return len(set(lowered)) <= 3 or _steps(lowered) in ({1}, {-1})


def _steps(text: str) -> set:
    """The steps between neighbouring characters; between digits, 9 to 0 is a step of 1 (1234567890)."""
    steps = set()
    for a, b in zip(text, text[1:], strict=False):
        step = ord(b) - ord(a)
        if a.isdigit() and b.isdigit():
            step = (step + 5) % 10 - 5
        steps.add(step)
    return steps


class Accounts:
    def __init__(
        self,
        url: str | None = None,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.engine: Engine = engine_for(url or database_url())
        self.hasher = hasher or PasswordHasher()
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def add(self, name: str, role: str, password: str) -> Account:
        name, role = check_name(name), check_role(role)
        check_password(password, name)
        if self.get(name) is not None:
            raise AccountError(f"an account called {name!r} already exists (to change its password: "
                               f"python -m bot users set-password {name})")
        values = dict(name=name, role=role, password_hash=self.hasher.hash(password), failed_logins=0,
                      locked_until=None, session_version=0, session_nonce=new_nonce())
        with self.engine.begin() as connection:
            connection.execute(insert(review_account).values(**values))
        return self._existing(name)

    def get(self, name: str) -> Account | None:
        query = select(review_account).where(review_account.c.name == normalise_name(name))
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return _account(row) if row else None

    def all(self) -> List[Account]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(review_account).order_by(review_account.c.name)).all()
        return [_account(row) for row in rows]

    def remove(self, name: str) -> None:
        name = self._existing(name).name
        with self.engine.begin() as connection:
            connection.execute(delete(review_account).where(review_account.c.name == name))

    def unlock(self, name: str) -> None:
        self._update(self._existing(name).name, failed_logins=0, locked_until=None)

    def set_password(self, name: str, password: str) -> None:
        """A new password also unlocks the account and ends its sessions."""
        account = self._existing(name)
        check_password(password, account.name)
        self._update(account.name, password_hash=self.hasher.hash(password), failed_logins=0, locked_until=None,
                     session_version=review_account.c.session_version + 1, session_nonce=new_nonce())

    def end_sessions(self, name: str) -> None:
        """Every session of the account ends (log-out ends them all, on every device)."""
        self._update(normalise_name(name), session_version=review_account.c.session_version + 1,
                     session_nonce=new_nonce())

    def authenticate(self, name: str, password: str, trusted: bool = False) -> Account | None:
        """The account if the password is right and the account is not locked; else None, whatever the reason."""
        return self.attempt(name, password, trusted).account

    def attempt(self, name: str, password: str, trusted: bool = False) -> LoginAttempt:
        """One login attempt: the account if it succeeded, and the outcome (for the audit trail).

        A password is verified (or a dummy one, when there is nothing to verify) every time, so the time
        taken does not tell an unknown name or a locked account from a wrong password. An untrusted attempt
        (a browser without the account's device cookie) first takes its place in the failure count, in one
        conditional UPDATE, and is refused without a check of the real hash if the account is locked or
        MAX_FAILED_LOGINS attempts are already counted (some of them still being checked). A trusted
        attempt is not held back by the lock, and its failures are counted all the same.
        """
        now = self.clock()
        name = normalise_name(name)
        if not NAME_PATTERN.fullmatch(name) or len(password) > MAX_PASSWORD_LENGTH:
            self._verify(_dummy_hash(self.hasher), password)
            return LoginAttempt(None, UNKNOWN_ACCOUNT, None)
        with self.engine.begin() as connection:
            if not trusted:
                counted = connection.execute(
                    update(review_account)
                    .where(review_account.c.name == name, review_account.c.failed_logins < MAX_FAILED_LOGINS,
                           or_(review_account.c.locked_until.is_(None), review_account.c.locked_until <= now))
                    .values(failed_logins=review_account.c.failed_logins + 1)
                ).rowcount
            row = connection.execute(select(review_account).where(review_account.c.name == name)).first()
        if row is None or (not trusted and not counted):
            self._verify(_dummy_hash(self.hasher), password)
            return LoginAttempt(None, UNKNOWN_ACCOUNT if row is None else LOCKED, None if row is None else name)
        if not self._verify(row.password_hash, password):
            self._count_failure(name, now, trusted)
            return LoginAttempt(None, WRONG_PASSWORD, name)
        changes = dict(failed_logins=0, locked_until=None)
        if self.hasher.check_needs_rehash(row.password_hash):
            changes["password_hash"] = self.hasher.hash(password)
        self._update(name, **changes)
        return LoginAttempt(self._existing(name), LOGGED_IN, name)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _count_failure(self, name: str, now: datetime, trusted: bool) -> None:
        """An untrusted failure was counted before its check; a trusted one is counted now. At the limit, the
        account locks for LOCKOUT, and the count starts again."""
        with self.engine.begin() as connection:
            if trusted:
                connection.execute(update(review_account).where(review_account.c.name == name)
                                   .values(failed_logins=review_account.c.failed_logins + 1))
            connection.execute(
                update(review_account)
                .where(and_(review_account.c.name == name, review_account.c.failed_logins >= MAX_FAILED_LOGINS))
                .values(failed_logins=0, locked_until=now + LOCKOUT)
            )

    def device_mark(self, name: str) -> str | None:
        """What a device cookie holds for the account: changes with its password (and when it is re-created)."""
        account_row = self._row(name)
        if account_row is None:
            return None
        return hashlib.sha256(account_row.password_hash.encode()).hexdigest()[:32]

    def _row(self, name: str) -> object | None:
        with self.engine.connect() as connection:
            return connection.execute(
                select(review_account).where(review_account.c.name == normalise_name(name))).first()

    def _existing(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise AccountError(f"no account called {normalise_name(name)!r}")
        return account

    def _update(self, name: str, **values: object) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(review_account).where(review_account.c.name == name).values(**values))


@functools.lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class LoginAttempt:
    account: Account | None  # the account logged in to, or None
    outcome: str  # LOGGED_IN, WRONG_PASSWORD, UNKNOWN_ACCOUNT or LOCKED
    name: str | None  # the account's name when there is such an account, else None (never what was typed)


def _account(row: object) -> Account:
    values = row._mapping  # type: ignore[attr-defined]
    return Account(name=values["name"], role=values["role"], failed_logins=values["failed_logins"],
                   locked_until=values["locked_until"], session_version=values["session_version"],
                   session_nonce=values["session_nonce"])
