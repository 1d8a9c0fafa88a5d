"""Sessions and access: who is logged in, for how long, and what each page requires.

A session lives in an encrypted cookie (aiohttp-session, Fernet): HttpOnly, SameSite=Strict, Secure unless
REVIEW_COOKIE_SECURE=false, path /review, gone when the browser closes. It holds the account name, the
account's random session nonce, the login time, the last activity and the CSRF token. It ends after
REVIEW_SESSION_IDLE_MINUTES without a request or REVIEW_SESSION_HOURS after login, and at once when the
account logs out (from any device), gets a new password or is removed: each request checks the account in
the database, and its nonce, which an account of the same name added again does not share.
"""
from __future__ import annotations

import asyncio
import functools
import hmac
import time
from typing import Any, Awaitable, Callable, TypeVar
from urllib.parse import urlencode

from aiohttp import web
from aiohttp_session import Session, get_session, new_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet

from bot.review import csrf
from bot.review.accounts import Account
from bot.review.appkeys import ACCOUNTS, EXECUTOR, SETTINGS
from bot.review.config import ReviewSettings
from bot.review.permissions import allowed

COOKIE_NAME = "review_session"
COOKIE_PATH = "/review"
USER, NONCE, LOGIN_AT, SEEN = "user", "nonce", "login_at", "seen"
ACCOUNT = "review_account"  # request key: the logged-in account
LOGIN_PATH = "/review/login"
T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Forbidden(Exception):
    """A logged-in account whose role may not see the page."""


def storage(settings: ReviewSettings) -> EncryptedCookieStorage:
    return EncryptedCookieStorage(
        Fernet(settings.session_key), cookie_name=COOKIE_NAME, path=COOKIE_PATH, secure=settings.cookie_secure,
        httponly=True, samesite="Strict", max_age=None,
    )


async def in_thread(request: web.Request, work: Callable[..., T], *args: Any) -> T:
    """Database, hashing and drawing work, off the event loop (the chat shares it)."""
    return await asyncio.get_running_loop().run_in_executor(request.app[EXECUTOR], functools.partial(work, *args))


async def current_account(request: web.Request) -> Account | None:
    """The logged-in account, or None (and the session is emptied) if there is none or it has ended."""
    if ACCOUNT in request:
        return request[ACCOUNT]
    session = await get_session(request)
    name = session.get(USER)
    if not isinstance(name, str):
        return None
    settings, now = request.app[SETTINGS], time.time()
    login_at, seen = float(session.get(LOGIN_AT, 0)), float(session.get(SEEN, 0))
    account = None
    if now - login_at <= settings.lifetime.total_seconds() and now - seen <= settings.idle.total_seconds():
        account = await in_thread(request, request.app[ACCOUNTS].get, name)
    nonce = session.get(NONCE)
    if account is None or not account.session_nonce or not isinstance(nonce, str) or not hmac.compare_digest(
            account.session_nonce.encode(), nonce.encode()):
        _end(session)
        return None
    if now - seen >= 30:  # keeps the cookie from changing on every request
        session[SEEN] = now
    request[ACCOUNT] = account
    return account


async def log_in(request: web.Request, account: Account) -> Session:
    """A fresh session for the account, with a new CSRF token."""
    session = await new_session(request)
    now = time.time()
    session.update({USER: account.name, NONCE: account.session_nonce, LOGIN_AT: now, SEEN: now})
    csrf.renew(session)
    request[ACCOUNT] = account
    return session


async def log_out(request: web.Request) -> None:
    account = await current_account(request)
    if account is not None:
        await in_thread(request, request.app[ACCOUNTS].end_sessions, account.name)
    _end(await get_session(request))


def requires(permission: str) -> Callable[[Handler], Handler]:
    """The page needs a logged-in account whose role has the permission: else the login page, or 403."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            account = await current_account(request)
            if account is None:
                raise web.HTTPSeeOther(f"{LOGIN_PATH}?{urlencode({'next': request.path_qs})}")
            if not allowed(account.role, permission):
                raise Forbidden()
            return await handler(request)

        guarded.permission = permission  # type: ignore[attr-defined]
        return guarded

    return decorate


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a dashboard page only, never another site."""
    path = (target or "").split("?", 1)[0]
    if (
        target and (target == "/review" or target.startswith("/review/"))
        and "\\" not in target and not any(ord(char) < 0x20 for char in target)
        and not target.startswith(LOGIN_PATH)
        # "/review/../evil" would leave the dashboard once the browser resolves it
        and ".." not in path.split("/") and "%" not in path
    ):
        return target
    return "/review/"


def _end(session: Session) -> None:
    session.invalidate()
