"""What the dashboard's views share: the filter from the request, pages, error pages, the audit call, downloads."""
from __future__ import annotations

import time
from datetime import date, datetime, timezone
from typing import Any, Dict, List
from urllib.parse import quote, urlencode

from aiohttp import web
from aiohttp_session import get_session
from sqlalchemy.exc import SQLAlchemyError

from bot.review import auth, csrf, filters, permissions, rendering, stats
from bot.review.appkeys import AUDIT, ENGINE, OPTIONS, SETTINGS
from bot.review.filters import Filter

OPTIONS_TTL_S = 60
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")  # browsers keep Secure cookies from these over HTTP


def today() -> date:
    return datetime.now(timezone.utc).date()


def filter_from(request: web.Request) -> Filter:
    return filters.parse(request.query, today())


def topic_url(topic: str | None, used: Filter | None = None) -> str:
    path = f"/review/topics/{quote(topic or '', safe='')}"
    return f"{path}?{urlencode(used.query())}" if used else path


async def base_context(request: web.Request, used: Filter | None) -> Dict[str, Any]:
    """What every template needs: the account, the links it may follow, the CSRF token and the filter."""
    session = await get_session(request)
    account = await auth.current_account(request)
    return {
        "account": account,
        "can_audit": account is not None and permissions.allowed(account.role, permissions.VIEW_AUDIT),
        "can_classes": account is not None and permissions.allowed(account.role, permissions.VIEW_CLASSES),
        "can_health": account is not None and permissions.allowed(account.role, permissions.VIEW_HEALTH),
        "csrf_token": csrf.token(session),
        "filter": used or filters.default(today()),
        "page": "",
    }


async def page(request: web.Request, template: str, name: str, used: Filter, **context: Any) -> web.Response:
    """A page of the query log, with the filter and its choices."""
    base = await base_context(request, used)
    action = context.pop("action", f"/review/{'' if name == 'overview' else name}")
    base.update(page=name, action=action, extra_query={}, presets=filters.presets(today()),
                options=await _options(request), date_only=False)
    html = rendering.render(template, **(base | context))
    return web.Response(text=html, content_type="text/html")


async def plain_page(request: web.Request, template: str, name: str, **context: Any) -> web.Response:
    """A page without the query-log filter (the training classes)."""
    base = await base_context(request, None)
    base["page"] = name
    html = rendering.render(template, **(base | context))
    return web.Response(text=html, content_type="text/html")


async def error_page(request: web.Request, status: int, heading: str, problems: List[str],
                     used: Filter | None = None, back: tuple[str, str] | None = None) -> web.Response:
    try:
        base = await base_context(request, used)
    except SQLAlchemyError:
        base = {"account": None, "can_audit": False, "can_classes": False, "can_health": False, "csrf_token": "",
                "filter": filters.default(today()), "page": ""}
    if base["account"] is None:
        back = ("/review/login", "Log in")
    elif back is None:
        back = (request.path, "Start again with the default filter") if status == 400 else (
            "/review/", "Back to the overview")
    html = rendering.render("error.html", **base, heading=heading, problems=problems, back=back[0],
                            back_label=back[1])
    return web.Response(text=html, content_type="text/html", status=status)


def insecure_warning(request: web.Request) -> str | None:
    """A warning when Secure cookies cannot work: plain HTTP to a host other than this machine."""
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    if request.app[SETTINGS].cookie_secure and not request.secure and host not in LOCAL_HOSTS:
        return ("This page was not loaded over HTTPS, so your browser will not keep the login. Use the dashboard's "
                "https:// address.")
    return None


async def audit(request: web.Request, action: str, used_filter: Dict[str, Any]) -> None:
    account = await auth.current_account(request)
    assert account is not None  # every audited handler requires a login
    await auth.in_thread(request, request.app[AUDIT].record, account.name, action, used_filter)


def download(body: str, content_type: str, filename: str) -> web.Response:
    return web.Response(text=body, content_type=content_type, charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def _options(request: web.Request) -> Dict[str, List[str]]:
    cache = request.app[OPTIONS]
    if cache.get("until", 0) < time.monotonic():
        cache["values"] = await auth.in_thread(request, stats.options, request.app[ENGINE])
        cache["until"] = time.monotonic() + OPTIONS_TTL_S
    return cache["values"]
