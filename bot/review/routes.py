"""The dashboard's pages and exports (aiohttp), mounted at /review by bot.review.add_routes.

Every page and export names its permission (auth.requires) and is recorded in the audit trail; every
POST carries the session's CSRF token (csrf.py); bad filter input gets a 400 page. The trainers' pages
(/review/classes) create, close and show training classes of the scenario quiz (bot/quiz).
"""
from __future__ import annotations

import functools
import io
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List
from urllib.parse import quote, urlencode

from aiohttp import web
from aiohttp_session import get_session, session_middleware
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.db.engine import database_url, engine_for
from bot.querylog import queries
from bot.querylog.export import write_csv_records
from bot.quiz import results as quiz_results
from bot.quiz import scenarios as quiz_scenarios
from bot.quiz.classes import NAME_LIMIT, ClassError, Classes
from bot.quiz.codes import normalise as normalise_code
from bot.review import auth, config, csrf, filters, gaps, html_report, pages, permissions, stats
from bot.review.accounts import LOCKOUT, MAX_FAILED_LOGINS, Accounts
from bot.review.audit import AuditTrail
from bot.review.filters import Filter, FilterError

logger = logging.getLogger(__name__)
PREFIX = "/review"
STATIC = Path(__file__).resolve().parent / "static"
ENGINE = web.AppKey("review_engine", Engine)
AUDIT = web.AppKey("review_audit", AuditTrail)
OPTIONS = web.AppKey("review_options", dict)
CLASSES = web.AppKey("review_classes", Classes)
CREATED, CLOSED = "class_created", "class_closed"  # session keys: what the classes page says once after a POST
OPTIONS_TTL_S = 60
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")  # browsers keep Secure cookies from these over HTTP
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
FAILED_LOGIN = (
    "The account name or password is wrong, or the account is locked after too many attempts. "
    f"An account locks for {LOCKOUT.seconds // 60} minutes after {MAX_FAILED_LOGINS} wrong passwords in a row."
)


def today() -> date:
    return datetime.now(timezone.utc).date()


# -- pages -------------------------------------------------------------------------------------------------


@auth.requires(permissions.VIEW_OVERVIEW)
async def overview_page(request: web.Request) -> web.Response:
    used = _filter(request)
    overview = await auth.in_thread(request, stats.overview, request.app[ENGINE], used)
    context = await auth.in_thread(request, pages.overview_context, overview)
    context["topic_link"] = lambda counts: _topic_url(counts.value, used)
    await _audit(request, permissions.VIEW_OVERVIEW, used.audit())
    return await _page(request, "overview.html", "overview", used, **context)


@auth.requires(permissions.VIEW_GAPS)
async def gaps_page(request: web.Request) -> web.Response:
    used = _filter(request)
    found = await auth.in_thread(request, gaps.find, request.app[ENGINE], used)
    context = await auth.in_thread(request, pages.gaps_context, found)
    await _audit(request, permissions.VIEW_GAPS, used.audit())
    return await _page(request, "gaps.html", "gaps", used, **context)


@auth.requires(permissions.VIEW_TOPIC)
async def topic_page(request: web.Request) -> web.Response:
    used = _filter(request)
    topic = filters.check_topic(request.match_info["topic"])
    detail = await auth.in_thread(request, stats.topic_detail, request.app[ENGINE], used, topic)
    context = await auth.in_thread(request, pages.topic_context, detail)
    await _audit(request, permissions.VIEW_TOPIC, used.audit() | {"topic": topic})
    return await _page(request, "topic.html", "topic", used, action=_topic_url(topic), **context)


@auth.requires(permissions.VIEW_AUDIT)
async def audit_page(request: web.Request) -> web.Response:
    used = _filter(request)
    limit = 500
    entries = await auth.in_thread(request, request.app[AUDIT].entries, *used.bounds(), limit)
    await _audit(request, permissions.VIEW_AUDIT, used.audit())
    return await _page(request, "audit.html", "audit", used, entries=entries, limit=limit, date_only=True)


# -- training classes (trainers and admins) -----------------------------------------------------------------


@auth.requires(permissions.VIEW_CLASSES)
async def classes_page(request: web.Request) -> web.Response:
    found = await auth.in_thread(request, quiz_results.summaries, request.app[CLASSES])
    session = await get_session(request)
    codes = {summary.quiz_class.code for summary in found}
    created, closed = session.pop(CREATED, None), session.pop(CLOSED, None)
    await _audit(request, permissions.VIEW_CLASSES, {})
    return await _plain_page(request, "classes.html", "classes", summaries=found,
                             created=created if created in codes else None,
                             closed=closed if closed in codes else None, name_limit=NAME_LIMIT)


@auth.requires(permissions.CREATE_CLASS)
async def create_class(request: web.Request) -> web.Response:
    form = await request.post()
    name = str(form.get("name", ""))[:4 * NAME_LIMIT]  # Classes.create tidies and shortens it
    created = await auth.in_thread(request, request.app[CLASSES].create, name)
    await _audit(request, permissions.CREATE_CLASS, {"code": created.code})
    (await get_session(request))[CREATED] = created.code
    raise web.HTTPSeeOther(f"{PREFIX}/classes")


@auth.requires(permissions.CLOSE_CLASS)
async def close_class(request: web.Request) -> web.Response:
    code = normalise_code(request.match_info["code"])
    try:
        closed = await auth.in_thread(request, request.app[CLASSES].close, code or "")
    except ClassError:
        return await _no_class(request)
    await _audit(request, permissions.CLOSE_CLASS, {"code": closed.code})
    (await get_session(request))[CLOSED] = closed.code
    raise web.HTTPSeeOther(f"{PREFIX}/classes")


@auth.requires(permissions.VIEW_CLASS)
async def class_page(request: web.Request) -> web.Response:
    found = await auth.in_thread(request, _class_results, request.app[CLASSES], request.match_info["code"], True)
    if found is None:
        return await _no_class(request)
    results, scores = found
    context = await auth.in_thread(request, pages.class_context, results, scores)
    await _audit(request, permissions.VIEW_CLASS, {"code": results.quiz_class.code})
    return await _plain_page(request, "class.html", "classes", **context)


@auth.requires(permissions.EXPORT_CLASS_CSV)
async def export_class_csv(request: web.Request) -> web.Response:
    found = await auth.in_thread(request, _class_results, request.app[CLASSES], request.match_info["code"], False)
    if found is None:
        return await _no_class(request)
    results = found[0]
    await _audit(request, permissions.EXPORT_CLASS_CSV, {"code": results.quiz_class.code})
    return _download(quiz_results.as_csv(results), "text/csv", f"class-{results.quiz_class.code}-results.csv")


def _class_results(classes: Classes, code: str, with_scores: bool) -> tuple | None:
    """(results, score distribution) of the class, or None if there is no such class."""
    code = normalise_code(code) or ""
    try:
        found = quiz_results.class_results(code, _quiz_content(), classes)
        return found, quiz_results.score_distribution(code, classes) if with_scores else []
    except ClassError:
        return None


def _quiz_content() -> List[quiz_scenarios.Scenario]:
    """The scenarios, for titles and choice texts; none (ids and letters only) if the content cannot be read."""
    try:
        return quiz_scenarios.load()
    except (quiz_scenarios.ScenarioError, OSError) as error:
        logger.warning("Review dashboard: the quiz scenarios cannot be read (%s); showing scenario ids",
                       type(error).__name__)
        return []


async def _no_class(request: web.Request) -> web.Response:
    return await _error(request, 404, "There is no such class", [
        "No class has that code. Check the code, or choose the class from the list of classes."],
        back=("/review/classes", "Back to the classes"))


# -- exports -----------------------------------------------------------------------------------------------


@auth.requires(permissions.EXPORT_CSV)
async def export_csv(request: web.Request) -> web.Response:
    used = _filter(request)
    scope = request.query.get("scope", "all")
    if scope not in ("all", "gaps"):
        raise FilterError([f"“{scope[:40]}” is not something to export: all or gaps."])
    topic = request.query.get("topic")
    if topic is not None:
        filters.check_topic(topic)
    body = await auth.in_thread(request, _csv, request.app[ENGINE], used, scope == "gaps", topic)
    extra = {"scope": scope} | ({"topic": topic} if topic else {})
    await _audit(request, permissions.EXPORT_CSV, used.audit() | extra)
    name = f"queries-{'unanswered-' if scope == 'gaps' else ''}{used.since}-to-{used.until}.csv"
    return _download(body, "text/csv", name)


@auth.requires(permissions.EXPORT_NLU)
async def export_nlu(request: web.Request) -> web.Response:
    used = _filter(request)
    key = request.match_info["key"]
    found = await auth.in_thread(request, gaps.find, request.app[ENGINE], used)
    group = found.group(key)
    if group is None:
        return await _error(request, 404, "That group has changed", [
            "The unanswered questions have changed since the page was loaded, so that group is no longer there. "
            "Open the unanswered questions again and download the group from there."], used)
    snippet = gaps.nlu_snippet(group, exported=datetime.now(timezone.utc))
    await _audit(request, permissions.EXPORT_NLU, used.audit() | {"group": key})
    return _download(snippet, "application/x-yaml", f"unanswered-{key}.yml")


@auth.requires(permissions.EXPORT_HTML)
async def export_html(request: web.Request) -> web.Response:
    used = _filter(request)
    report = await auth.in_thread(request, html_report.build, request.app[ENGINE], used)
    await _audit(request, permissions.EXPORT_HTML, used.audit())
    return _download(report, "text/html", f"board-report-{used.since}-to-{used.until}.html")


# -- logging in and out ------------------------------------------------------------------------------------


async def login_page(request: web.Request) -> web.Response:
    if await auth.current_account(request) is not None:
        raise web.HTTPSeeOther(auth.safe_next(request.query.get("next")))
    message = "You have logged out." if request.query.get("out") else None
    return await _login_form(request, message=message)


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))
    target = auth.safe_next(str(form.get("next", "")))
    account = await auth.in_thread(request, request.app[auth.ACCOUNTS].authenticate, name, password)
    if account is None:
        return await _login_form(request, status=401, error=FAILED_LOGIN, name=name, target=target)
    await auth.log_in(request, account)
    raise web.HTTPSeeOther(target)


async def logout(request: web.Request) -> web.Response:
    await auth.log_out(request)
    raise web.HTTPSeeOther("/review/login?out=1")


# -- the application ---------------------------------------------------------------------------------------


def add_routes(app: web.Application, settings: config.ReviewSettings | None = None, url: str | None = None) -> None:
    """The dashboard's routes under /review on the web app.

    Not a sub-application: with the pinned aiohttp and yarl, resolving a sub-application reads
    `request.url`, which fails for a Host header with a port. The dashboard's middlewares (session,
    error pages, CSRF) wrap its own handlers only, so the chat page and the forwarding never see them.
    """
    settings = settings or config.from_environment()
    url = url or database_url()
    app[auth.SETTINGS] = settings
    app[auth.ACCOUNTS] = Accounts(url)
    app[AUDIT] = AuditTrail(url)
    app[ENGINE] = engine_for(url)
    app[OPTIONS] = {}
    app[CLASSES] = Classes(url, engine=app[ENGINE])
    app.cleanup_ctx.append(_executor)
    chain = _middleware_chain(session_middleware(auth.storage(settings)), errors, csrf.middleware)
    routes = [
        ("GET", "/", overview_page),
        ("GET", "/gaps", gaps_page),
        ("GET", "/gaps/{key:[0-9a-f]{16}}.yml", export_nlu),
        ("GET", "/topics/{topic}", topic_page),
        ("GET", "/audit", audit_page),
        ("GET", "/classes", classes_page),
        ("POST", "/classes", create_class),
        ("GET", "/classes/{code:[^/.]+}", class_page),
        ("GET", "/classes/{code:[^/.]+}.csv", export_class_csv),
        ("POST", "/classes/{code:[^/.]+}/close", close_class),
        ("GET", "/export.csv", export_csv),
        ("GET", "/report.html", export_html),
        ("GET", "/login", login_page),
        ("POST", "/login", login),
        ("POST", "/logout", logout),
    ]
    app.router.add_static(f"{PREFIX}/static/", STATIC)
    for method, path, handler in routes:
        app.router.add_route(method, PREFIX + path, chain(handler))
    app.router.add_get(PREFIX, _to_overview)
    app.router.add_route("*", PREFIX + "/{anything:.*}", chain(_not_found))
    if settings.cookie_secure:
        logger.info("Review dashboard: session cookies are Secure (sent over HTTPS, and by browsers to "
                    "http://localhost); set REVIEW_COOKIE_SECURE=false only for plain HTTP on a trusted network")


def _middleware_chain(*middlewares: Callable[..., Awaitable[web.StreamResponse]]) -> Callable[[Handler], Handler]:
    """handler -> the handler wrapped in the middlewares, the first outermost."""

    def wrap(handler: Handler) -> Handler:
        wrapped = handler
        for middleware in reversed(middlewares):
            wrapped = functools.partial(middleware, handler=wrapped)
        return functools.update_wrapper(functools.partial(_call, wrapped), handler)

    return wrap


async def _call(wrapped: Callable[..., Awaitable[web.StreamResponse]], request: web.Request) -> web.StreamResponse:
    return await wrapped(request)


async def _to_overview(request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently(f"{PREFIX}/")


async def _not_found(request: web.Request) -> web.Response:
    raise web.HTTPNotFound()


async def _executor(app: web.Application) -> AsyncIterator[None]:
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="review") as executor:
        app[auth.EXECUTOR] = executor
        yield


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Error pages instead of tracebacks; nothing on the dashboard is cached or indexed."""
    try:
        response = await handler(request)
    except FilterError as error:
        response = await _error(request, 400, "That filter cannot be used", error.problems)
    except auth.Forbidden:
        response = await _error(request, 403, "You do not have access to this page", [
            "Your account's role does not include this page. Ask an administrator if you need it."])
    except csrf.CsrfError:
        response = await _error(request, 403, "The form has expired", [
            "The form was not sent from this dashboard, or your session ended. "
            "Go back, reload the page and try again.", *filter(None, [_insecure(request)])])
    except SQLAlchemyError as error:
        logger.error("Review dashboard: database error %s", type(error).__name__)
        response = await _error(request, 503, "The query log cannot be read just now", [
            "The database is unreachable or has not been set up (an administrator runs `python -m bot db upgrade`). "
            "Try again in a few minutes."])
    except web.HTTPException as error:
        if error.status not in (404, 405):
            raise
        response = await _error(request, error.status, "Page not found" if error.status == 404 else "Not allowed",
                                ["There is no such page on the dashboard."])
    response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


# -- helpers -----------------------------------------------------------------------------------------------


def _filter(request: web.Request) -> Filter:
    return filters.parse(request.query, today())


def _topic_url(topic: str | None, used: Filter | None = None) -> str:
    path = f"/review/topics/{quote(topic or '', safe='')}"
    return f"{path}?{urlencode(used.query())}" if used else path


async def _options(request: web.Request) -> Dict[str, List[str]]:
    cache = request.app[OPTIONS]
    if cache.get("until", 0) < time.monotonic():
        cache["values"] = await auth.in_thread(request, stats.options, request.app[ENGINE])
        cache["until"] = time.monotonic() + OPTIONS_TTL_S
    return cache["values"]


async def _base_context(request: web.Request, used: Filter | None) -> Dict[str, Any]:
    session = await get_session(request)
    account = await auth.current_account(request)
    return {
        "account": account,
        "can_audit": account is not None and permissions.allowed(account.role, permissions.VIEW_AUDIT),
        "can_classes": account is not None and permissions.allowed(account.role, permissions.VIEW_CLASSES),
        "csrf_token": csrf.token(session),
        "filter": used or filters.default(today()),
        "page": "",
    }


async def _page(request: web.Request, template: str, page: str, used: Filter, **context: Any) -> web.Response:
    base = await _base_context(request, used)
    action = context.pop("action", f"/review/{'' if page == 'overview' else page}")
    base.update(page=page, action=action, extra_query={}, presets=filters.presets(today()),
                options=await _options(request), date_only=False)
    html = pages.render(template, **(base | context))
    return web.Response(text=html, content_type="text/html")


async def _plain_page(request: web.Request, template: str, page: str, **context: Any) -> web.Response:
    """A page without the query-log filter (the training classes)."""
    base = await _base_context(request, None)
    base["page"] = page
    html = pages.render(template, **(base | context))
    return web.Response(text=html, content_type="text/html")


async def _login_form(request: web.Request, status: int = 200, message: str | None = None, error: str | None = None,
                      name: str = "", target: str | None = None) -> web.Response:
    base = await _base_context(request, None)
    base["account"] = None
    html = pages.render("login.html", **base, message=message, error=error, name=name,
                        next=target or auth.safe_next(request.query.get("next")), insecure_warning=_insecure(request),
                        max_failed=MAX_FAILED_LOGINS, lockout_minutes=LOCKOUT.seconds // 60)
    return web.Response(text=html, content_type="text/html", status=status)


def _insecure(request: web.Request) -> str | None:
    """A warning when Secure cookies cannot work: plain HTTP to a host other than this machine."""
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    if request.app[auth.SETTINGS].cookie_secure and not request.secure and host not in LOCAL_HOSTS:
        return ("This page was not loaded over HTTPS, so your browser will not keep the login. Use the dashboard's "
                "https:// address.")
    return None


async def _error(request: web.Request, status: int, heading: str, problems: List[str],
                 used: Filter | None = None, back: tuple[str, str] | None = None) -> web.Response:
    try:
        base = await _base_context(request, used)
    except SQLAlchemyError:
        base = {"account": None, "can_audit": False, "can_classes": False, "csrf_token": "",
                "filter": filters.default(today()), "page": ""}
    if base["account"] is None:
        back = ("/review/login", "Log in")
    elif back is None:
        back = (request.path, "Start again with the default filter") if status == 400 else (
            "/review/", "Back to the overview")
    html = pages.render("error.html", **base, heading=heading, problems=problems, back=back[0], back_label=back[1])
    return web.Response(text=html, content_type="text/html", status=status)


async def _audit(request: web.Request, action: str, used_filter: Dict[str, Any]) -> None:
    account = await auth.current_account(request)
    assert account is not None  # every audited handler requires a login
    await auth.in_thread(request, request.app[AUDIT].record, account.name, action, used_filter)


def _csv(engine: Engine, used: Filter, only_gaps: bool, topic: str | None) -> str:
    out = io.StringIO()
    write_csv_records(out, queries.records(engine, used.rows(topic=topic, unanswered=only_gaps)))
    return out.getvalue()


def _download(body: str, content_type: str, filename: str) -> web.Response:
    return web.Response(text=body, content_type=content_type, charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
