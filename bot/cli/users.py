"""Review dashboard accounts: python -m bot users add|list|remove|unlock|set-password."""
from __future__ import annotations

import argparse
import functools
import getpass
import sys
from typing import Callable

from bot.review import permissions
from bot.review.permissions import ROLES


class _UsersError(Exception):
    """A users command cannot go ahead; the message says why."""


def _users_command(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """One line on stderr instead of a traceback: exit 2 for a bad request, 1 if the database fails."""

    @functools.wraps(run)
    def guarded(args: argparse.Namespace) -> int:
        from sqlalchemy.exc import SQLAlchemyError

        from bot.review.accounts import AccountError

        try:
            return run(args)
        except (AccountError, _UsersError) as error:
            print(f"python -m bot users {args.users_command}: error: {error}", file=sys.stderr)
            return 2
        except SQLAlchemyError as error:
            message = str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__]
            print(f"python -m bot users {args.users_command}: error: {message[0]} "
                  "(is the database set up? run `python -m bot db upgrade`)", file=sys.stderr)
            return 1

    return guarded


def _accounts():  # noqa: ANN202 - imports the dashboard lazily
    from bot.db import migrate
    from bot.db.engine import database_url, shown
    from bot.review.accounts import Accounts

    url = database_url()
    if migrate.current(url) is None:
        raise _UsersError(f"the database {shown(url)} has no tables yet: run `python -m bot db upgrade`")
    return Accounts(url)


def _audit(action: str, name: str, role: str | None = None) -> None:
    from bot.db.engine import database_url
    from bot.review.audit import AuditTrail, command_line_actor

    AuditTrail(database_url()).record(command_line_actor(), action, {"account": name, "role": role})


def read_password(prompt: str = "Password") -> str:
    """Typed twice at a terminal (not echoed), or one line from standard input when it is piped."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(f"{prompt}: ")
        if getpass.getpass(f"{prompt} again: ") != first:
            raise _UsersError("the two passwords differ; nothing was changed")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise _UsersError("no password on standard input (pipe one line, or run the command at a terminal)")
    return line.rstrip("\r\n")


@_users_command
def _add(args: argparse.Namespace) -> int:
    from bot.review.accounts import check_name, check_role

    accounts = _accounts()
    name, role = check_name(args.name), check_role(args.role)
    if accounts.get(name) is not None:  # said before asking for a password
        raise _UsersError(f"an account called {name!r} already exists (to change its password: "
                          f"python -m bot users set-password {name})")
    accounts.add(name, role, read_password())
    _audit(permissions.ADD_ACCOUNT, name, role)
    print(f"Added {name} ({role}). They log in at /review on the web app.")
    return 0


@_users_command
def _list(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from tabulate import tabulate

    now = datetime.now(timezone.utc)
    rows = []
    for account in _accounts().all():
        if account.locked(now):
            status = f"locked until {account.locked_until:%Y-%m-%d %H:%M} UTC"
        elif account.failed_logins:
            status = f"{account.failed_logins} failed logins"
        else:
            status = "active"
        rows.append((account.name, account.role, status))
    if not rows:
        print("No accounts yet: python -m bot users add NAME --role board|trainer|admin")
        return 0
    print(tabulate(rows, headers=["name", "role", "status"]))
    return 0


@_users_command
def _remove(args: argparse.Namespace) -> int:
    _accounts().remove(args.name)
    _audit(permissions.REMOVE_ACCOUNT, args.name.strip().lower())
    print(f"Removed {args.name.strip().lower()}; their sessions have ended.")
    return 0


@_users_command
def _unlock(args: argparse.Namespace) -> int:
    _accounts().unlock(args.name)
    _audit(permissions.UNLOCK_ACCOUNT, args.name.strip().lower())
    print(f"Unlocked {args.name.strip().lower()}.")
    return 0


@_users_command
def _set_password(args: argparse.Namespace) -> int:
    accounts = _accounts()
    name = args.name.strip().lower()
    if accounts.get(name) is None:
        raise _UsersError(f"no account called {name!r}")
    accounts.set_password(name, read_password("New password"))
    _audit(permissions.SET_PASSWORD, name)
    print(f"Password changed for {name}; the account is unlocked and its sessions have ended.")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    users = commands.add_parser(
        "users", help="review dashboard accounts",
        description="Accounts for the review dashboard (/review). Passwords are read from the terminal "
                    "(typed twice) or, when piped, from one line of standard input; at least 12 characters.",
    )
    users_commands = users.add_subparsers(dest="users_command", required=True)
    add = users_commands.add_parser("add", help="add an account")
    add.add_argument("name", help="account name: 2-64 letters, digits and . _ @ -")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="board and trainer: the dashboard and its exports; admin: also the audit trail")
    add.set_defaults(run=_add)
    listing = users_commands.add_parser("list", help="list the accounts, their roles and lock-outs")
    listing.set_defaults(run=_list)
    remove = users_commands.add_parser("remove", help="remove an account")
    remove.add_argument("name")
    remove.set_defaults(run=_remove)
    unlock = users_commands.add_parser("unlock", help="unlock an account locked after failed logins")
    unlock.add_argument("name")
    unlock.set_defaults(run=_unlock)
    set_password = users_commands.add_parser("set-password", help="set a new password (unlocks, ends sessions)")
    set_password.add_argument("name")
    set_password.set_defaults(run=_set_password)
