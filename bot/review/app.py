"""Sets the dashboard up on the web app: its stores, thread pool, middlewares and routes under /review."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import AsyncIterator, List, Tuple

from aiohttp import web

from bot.db.engine import database_url, engine_for
from bot.quiz.classes import Classes
from bot.review import config, middlewares
from bot.review.accounts import Accounts
from bot.review.appkeys import (
    ACCOUNTS,
    AUDIT,
    CLASSES,
    ENGINE,
    EXECUTOR,
    LOGIN_EXECUTOR,
    LOGIN_THROTTLE,
    LOGINS_IN_FLIGHT,
    OPTIONS,
    ROUTES,
    SETTINGS,
)
from bot.review.audit import AuditTrail
from bot.review.auth import Handler
from bot.review.ratelimit import TokenBucket
from bot.review.views import classes, exports, health, login, pages

logger = logging.getLogger(__name__)
PREFIX = "/review"
STATIC = Path(__file__).resolve().parent / "static"
THREADS = 4
LOGIN_THREADS = 2  # password checks (argon2id) have threads of their own: wrong logins cannot stall the pages
ROUTE_TABLE: List[Tuple[str, str, Handler]] = [
    ("GET", "/", pages.overview_page),
    ("GET", "/gaps", pages.gaps_page),
    ("GET", "/gaps/{key:[0-9a-f]{16}}.yml", exports.export_nlu),
    ("GET", "/topics/{topic}", pages.topic_page),
    ("GET", "/audit", pages.audit_page),
    ("GET", "/health", health.health_page),
    ("GET", "/classes", classes.classes_page),
    ("POST", "/classes", classes.create_class),
    ("GET", "/classes/{code:[^/.]+}", classes.class_page),
    ("GET", "/classes/{code:[^/.]+}.csv", classes.export_class_csv),
    ("POST", "/classes/{code:[^/.]+}/close", classes.close_class),
    ("GET", "/export.csv", exports.export_csv),
    ("GET", "/report.html", exports.export_html),
    ("GET", "/login", login.login_page),
    ("POST", "/login", login.login),
    ("POST", "/logout", login.logout),
]


def setup(app: web.Application, settings: config.ReviewSettings | None = None, url: str | None = None) -> None:
    """The dashboard's routes under /review on the web app.

    Not a sub-application: with the pinned aiohttp and yarl, resolving a sub-application reads
    `request.url`, which fails for a Host header with a port. The dashboard's middlewares (session,
    error pages, CSRF) act on its own routes only, so the chat page and the forwarding never see them.
    """
    settings = settings or config.from_environment()
    url = url or database_url()
    app[SETTINGS] = settings
    app[ACCOUNTS] = Accounts(url)
    app[AUDIT] = AuditTrail(url)
    app[ENGINE] = engine_for(url)
    app[OPTIONS] = {}
    app[CLASSES] = Classes(url, engine=app[ENGINE])
    app[LOGIN_THROTTLE] = TokenBucket(settings.login_attempts, login.LOGIN_PERIOD.total_seconds())
    app[LOGINS_IN_FLIGHT] = [0]
    app.cleanup_ctx.append(thread_pool)
    app.router.add_static(f"{PREFIX}/static/", STATIC)
    routes = [app.router.add_route(method, PREFIX + path, handler) for method, path, handler in ROUTE_TABLE]
    app.router.add_get(PREFIX, pages.to_overview)
    routes.append(app.router.add_route("*", PREFIX + "/{anything:.*}", pages.not_found))
    app[ROUTES] = frozenset(routes)
    middlewares.setup(app, settings)
    if settings.cookie_secure:
        logger.info("Review dashboard: session cookies are Secure (sent over HTTPS, and by browsers to "
                    "http://localhost); set REVIEW_COOKIE_SECURE=false only for plain HTTP on a trusted network")


async def thread_pool(app: web.Application) -> AsyncIterator[None]:
    """The threads for database work and drawing, and those for logins, for as long as the web app runs."""
    with ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="review") as executor, \
            ThreadPoolExecutor(max_workers=LOGIN_THREADS, thread_name_prefix="review-login") as logins:
        app[EXECUTOR] = executor
        app[LOGIN_EXECUTOR] = logins
        yield
