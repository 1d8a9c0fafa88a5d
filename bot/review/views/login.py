"""Logging in and out of the dashboard: the login form, checking a password, ending the session.

What holds guessing back:

- per client address, REVIEW_LOGIN_ATTEMPTS attempts per LOGIN_PERIOD (a token bucket in this process's
  memory; a good login gives its token back, so an office behind one address is not held up by its own
  users); over it, 429 with Retry-After. The token is taken before anything else is done, in one step on
  the event loop, so concurrent attempts cannot take more than there are;
- per account, the lock-out in the database (accounts.py), which holds back only browsers that have not
  logged in to that account before: a browser that has gets a device cookie (DEVICE_COOKIE: encrypted with
  the session key, holding the account's name and a fingerprint of its password hash, for DEVICE_DAYS), and
  is let through the lock. So whoever locks an account out keeps out only new browsers, not its own users;
- password checks run in threads of their own (LOGIN_THREADS in app.py), at most MAX_LOGINS_IN_FLIGHT at a
  time (more get 503 with Retry-After), so wrong logins cannot stall the dashboard's other pages.

Each attempt is in the audit trail: "log in", or "failed login" with the reason, under the account's name when
there is such an account, else "(unknown account)"; never what was typed as a password. Attempts refused by
the rate limit are not recorded one by one (a flood would fill the trail); the server log counts them.
"""
from __future__ import annotations

import asyncio
import functools
import json
import logging
from datetime import timedelta
from typing import Any, Callable, TypeVar

from aiohttp import web
from cryptography.fernet import Fernet, InvalidToken

from bot.review import auth, forms, permissions, ratelimit, rendering
from bot.review.accounts import LOCKOUT, LOGGED_IN, MAX_FAILED_LOGINS, Accounts, LoginAttempt
from bot.review.appkeys import ACCOUNTS, AUDIT, LOGIN_EXECUTOR, LOGIN_THROTTLE, LOGINS_IN_FLIGHT, SETTINGS
from bot.review.audit import AuditTrail
from bot.review.views.common import base_context, insecure_warning

logger = logging.getLogger(__name__)
T = TypeVar("T")
LOGIN_PERIOD = timedelta(minutes=15)
MAX_LOGINS_IN_FLIGHT = 8
DEVICE_COOKIE = "review_device"
DEVICE_DAYS = 90
UNKNOWN_ACCOUNT_NAME = "(unknown account)"
FAILED_LOGIN = (
    "The account name or password is wrong, or the account is locked after too many attempts. "
    f"An account locks for {LOCKOUT.seconds // 60} minutes after {MAX_FAILED_LOGINS} wrong passwords in a row, "
    "except in a browser that has logged in to it before."
)


async def login_page(request: web.Request) -> web.Response:
    if await auth.current_account(request) is not None:
        raise web.HTTPSeeOther(auth.safe_next(request.query.get("next")))
    message = "You have logged out." if request.query.get("out") else None
    return await _login_form(request, message=message)


async def login(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    client = ratelimit.client_address(request, settings.trusted_proxies)
    throttle = request.app[LOGIN_THROTTLE]
    wait = throttle.take(client)
    if wait:
        logger.warning("Review dashboard: login attempts over the limit from one address")
        minutes = max(1, round(wait / 60))
        return await _login_form(request, status=429, error=(
            f"Too many login attempts from your network. Try again in {minutes} minute{'s' * (minutes > 1)}."),
            headers={"Retry-After": ratelimit.retry_after(wait)})
    in_flight = request.app[LOGINS_IN_FLIGHT]
    if in_flight[0] >= MAX_LOGINS_IN_FLIGHT:
        throttle.give_back(client)
        return await _login_form(request, status=503, error="The dashboard is busy. Try again in a few seconds.",
                                 headers={"Retry-After": "5"})
    form = await forms.read(request)
    name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))
    target = auth.safe_next(str(form.get("next", "")))
    fernet = Fernet(settings.session_key)
    in_flight[0] += 1
    try:
        attempt, device = await _in_login_thread(
            request, check_login, request.app[ACCOUNTS], request.app[AUDIT], fernet, name, password,
            request.cookies.get(DEVICE_COOKIE))
    finally:
        in_flight[0] -= 1
    if attempt.account is None:
        return await _login_form(request, status=401, error=FAILED_LOGIN, name=name, target=target)
    throttle.give_back(client)
    await auth.log_in(request, attempt.account)
    redirect = web.HTTPSeeOther(target)
    redirect.set_cookie(DEVICE_COOKIE, device or "", path="/review/login", max_age=DEVICE_DAYS * 24 * 3600,
                        secure=settings.cookie_secure, httponly=True, samesite="Strict")
    raise redirect


def check_login(accounts: Accounts, trail: AuditTrail, fernet: Fernet, name: str, password: str,
                device: str | None) -> tuple[LoginAttempt, str | None]:
    """The attempt, audited, and (if it succeeded) the browser's new device cookie. In a login thread."""
    trusted = device_is_trusted(accounts, fernet, name, device)
    attempt = accounts.attempt(name, password, trusted)
    if attempt.outcome == LOGGED_IN:
        trail.record(attempt.name or "", permissions.LOG_IN, {})
        mark = accounts.device_mark(attempt.name or "")
        return attempt, fernet.encrypt(json.dumps({"name": attempt.name, "mark": mark}).encode()).decode()
    trail.record(attempt.name or UNKNOWN_ACCOUNT_NAME, permissions.FAILED_LOGIN, {"reason": attempt.outcome})
    return attempt, None


def device_is_trusted(accounts: Accounts, fernet: Fernet, name: str, device: str | None) -> bool:
    """The browser has logged in to this account before (since its password last changed)."""
    if not device:
        return False
    try:
        held = json.loads(fernet.decrypt(device.encode(), ttl=DEVICE_DAYS * 24 * 3600))
    except (InvalidToken, ValueError):
        return False
    if not isinstance(held, dict) or held.get("name") != name.strip().lower():
        return False
    mark = accounts.device_mark(name)
    return mark is not None and held.get("mark") == mark


async def logout(request: web.Request) -> web.Response:
    account = await auth.current_account(request)
    await auth.log_out(request)
    if account is not None:
        await auth.in_thread(request, request.app[AUDIT].record, account.name, permissions.LOG_OUT, {})
    raise web.HTTPSeeOther("/review/login?out=1")


async def _in_login_thread(request: web.Request, work: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(request.app[LOGIN_EXECUTOR],
                                                            functools.partial(work, *args))


async def _login_form(request: web.Request, status: int = 200, message: str | None = None, error: str | None = None,
                      name: str = "", target: str | None = None, headers: dict | None = None) -> web.Response:
    base = await base_context(request, None)
    base["account"] = None
    html = rendering.render("login.html", **base, message=message, error=error, name=name,
                            next=target or auth.safe_next(request.query.get("next")),
                            insecure_warning=insecure_warning(request),
                            max_failed=MAX_FAILED_LOGINS, lockout_minutes=LOCKOUT.seconds // 60)
    return web.Response(text=html, content_type="text/html", status=status, headers=headers)
