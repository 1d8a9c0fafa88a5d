"""The dashboard's middlewares, on its own routes only: no-cache headers, the session, error pages, CSRF."""
from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiohttp import web
from aiohttp_session import get_session, session_middleware
from sqlalchemy.exc import SQLAlchemyError

from bot.review import auth, csrf, forms
from bot.review.appkeys import ROUTES
from bot.review.auth import Handler
from bot.review.config import ReviewSettings
from bot.review.filters import FilterError
from bot.review.views.common import error_page, insecure_warning

logger = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Middleware = Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]


def setup(app: web.Application, settings: ReviewSettings) -> None:
    """Appends the dashboard's middlewares to the web app's, the first outermost."""
    chain = (security_headers, session_middleware(auth.storage(settings)), errors, csrf_check)
    app.middlewares.extend(dashboard_only(middleware) for middleware in chain)


def dashboard_only(middleware: Middleware) -> Middleware:
    """The middleware for the dashboard's routes; the chat page, the forwarding and static files go straight on.

    It sits in the web app's own list because the dashboard cannot be a sub-application (see app.setup).
    """

    @web.middleware
    async def scoped(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.match_info.route in request.app[ROUTES]:
            return await middleware(request, handler)
        return await handler(request)

    return scoped


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Nothing on the dashboard is cached or indexed."""
    response = await handler(request)
    response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Error pages instead of tracebacks."""
    try:
        return await handler(request)
    except FilterError as error:
        return await error_page(request, 400, "That filter cannot be used", error.problems)
    except forms.FormError as error:
        return await error_page(request, error.status, "The form cannot be used", [error.problem])
    except auth.Forbidden:
        return await error_page(request, 403, "You do not have access to this page", [
            "Your account's role does not include this page. Ask an administrator if you need it."])
    except csrf.CsrfError:
        return await error_page(request, 403, "The form has expired", [
            "The form was not sent from this dashboard, or your session ended. "
            "Go back, reload the page and try again.", *filter(None, [insecure_warning(request)])])
    except SQLAlchemyError as error:
        logger.error("Review dashboard: database error %s", type(error).__name__)
        return await error_page(request, 503, "The query log cannot be read just now", [
            "The database is unreachable or has not been set up (an administrator runs `python -m bot db upgrade`). "
            "Try again in a few minutes."])
    except web.HTTPException as error:
        if error.status not in (404, 405):
            raise
        return await error_page(request, error.status, "Page not found" if error.status == 404 else "Not allowed",
                                ["There is no such page on the dashboard."])


@web.middleware
async def csrf_check(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A request that may change something goes no further without the session's CSRF token."""
    if request.method not in SAFE_METHODS:
        form = await forms.read(request)  # a small urlencoded form, or FormError before anything is read
        session = await get_session(request)
        if not csrf.matches(session, form.get(csrf.FIELD)):
            raise csrf.CsrfError()
    return await handler(request)
