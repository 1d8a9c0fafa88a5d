"""Dashboard accounts: name, role and an argon2 password hash; lock-out after repeated failed logins.

Everything is in the query-log database (table review_account), so a lock-out holds across restarts
and across several web app processes.
"""
from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, List

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from bot.db.engine import database_url, engine_for
from bot.db.tables import review_account
from bot.review.permissions import ROLES

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class AccountError(ValueError):
    """An account request that cannot be done; the message says why."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    failed_logins: int
    locked_until: datetime | None
    session_version: int

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
    if normalise_name(password) == name:
        raise AccountError("the password must not be the account name")
    return password


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
                      locked_until=None, session_version=0)
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
                     session_version=review_account.c.session_version + 1)

    def end_sessions(self, name: str) -> None:
        """Every session of the account ends (log-out ends them all, on every device)."""
        self._update(normalise_name(name), session_version=review_account.c.session_version + 1)

    def authenticate(self, name: str, password: str) -> Account | None:
        """The account if the password is right and the account is not locked; else None, whatever the reason.

        A password is verified (or a dummy one, when there is nothing to verify) every time, so the time
        taken does not tell an unknown name or a locked account from a wrong password.
        """
        now = self.clock()
        name = normalise_name(name)
        query = select(review_account).where(review_account.c.name == name)
        row = None
        if NAME_PATTERN.fullmatch(name) and len(password) <= MAX_PASSWORD_LENGTH:
            with self.engine.connect() as connection:
                row = connection.execute(query).first()
        if row is None or _account(row).locked(now):
            self._verify(_dummy_hash(self.hasher), password)
            return None
        if not self._verify(row.password_hash, password):
            self._count_failure(name, now)
            return None
        changes = dict(failed_logins=0, locked_until=None)
        if self.hasher.check_needs_rehash(row.password_hash):
            changes["password_hash"] = self.hasher.hash(password)
        self._update(name, **changes)
        return self._existing(name)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _count_failure(self, name: str, now: datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(review_account).where(review_account.c.name == name)
                               .values(failed_logins=review_account.c.failed_logins + 1))
            failures = connection.execute(
                select(review_account.c.failed_logins).where(review_account.c.name == name)
            ).scalar_one()
            if failures >= MAX_FAILED_LOGINS:
                # locked for a while; the count starts again afterwards
                connection.execute(update(review_account).where(review_account.c.name == name)
                                   .values(failed_logins=0, locked_until=now + LOCKOUT))

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


def _account(row: object) -> Account:
    values = row._mapping  # type: ignore[attr-defined]
    return Account(name=values["name"], role=values["role"], failed_logins=values["failed_logins"],
                   locked_until=values["locked_until"], session_version=values["session_version"])
