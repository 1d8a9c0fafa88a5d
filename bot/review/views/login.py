"""Logging in and out of the dashboard: the login form, checking a password, ending the session."""
from __future__ import annotations

from aiohttp import web

from bot.review import auth, rendering
from bot.review.accounts import LOCKOUT, MAX_FAILED_LOGINS
from bot.review.appkeys import ACCOUNTS
from bot.review.views.common import base_context, insecure_warning

FAILED_LOGIN = (
    "The account name or password is wrong, or the account is locked after too many attempts. "
    f"An account locks for {LOCKOUT.seconds // 60} minutes after {MAX_FAILED_LOGINS} wrong passwords in a row."
)


async def login_page(request: web.Request) -> web.Response:
    if await auth.current_account(request) is not None:
        raise web.HTTPSeeOther(auth.safe_next(request.query.get("next")))
    message = "You have logged out." if request.query.get("out") else None
    return await _login_form(request, message=message)


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))
    target = auth.safe_next(str(form.get("next", "")))
    account = await auth.in_thread(request, request.app[ACCOUNTS].authenticate, name, password)
    if account is None:
        return await _login_form(request, status=401, error=FAILED_LOGIN, name=name, target=target)
    await auth.log_in(request, account)
    raise web.HTTPSeeOther(target)


async def logout(request: web.Request) -> web.Response:
    await auth.log_out(request)
    raise web.HTTPSeeOther("/review/login?out=1")


async def _login_form(request: web.Request, status: int = 200, message: str | None = None, error: str | None = None,
                      name: str = "", target: str | None = None) -> web.Response:
    base = await base_context(request, None)
    base["account"] = None
    html = rendering.render("login.html", **base, message=message, error=error, name=name,
                            next=target or auth.safe_next(request.query.get("next")),
                            insecure_warning=insecure_warning(request),
                            max_failed=MAX_FAILED_LOGINS, lockout_minutes=LOCKOUT.seconds // 60)
    return web.Response(text=html, content_type="text/html", status=status)
