"""The dashboard's downloads: the query log as CSV, unanswered questions as an NLU snippet, the board report."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.querylog import queries
from bot.querylog.export import write_csv_records
from bot.review import auth, filters, gaps, html_report, permissions
from bot.review.appkeys import ENGINE
from bot.review.filters import Filter, FilterError
from bot.review.views.common import audit, download, error_page, filter_from


@auth.requires(permissions.EXPORT_CSV)
async def export_csv(request: web.Request) -> web.Response:
    used = filter_from(request)
    scope = request.query.get("scope", "all")
    if scope not in ("all", "gaps"):
        raise FilterError([f"“{scope[:40]}” is not something to export: all or gaps."])
    topic = request.query.get("topic")
    if topic is not None:
        filters.check_topic(topic)
    body = await auth.in_thread(request, _csv, request.app[ENGINE], used, scope == "gaps", topic)
    extra = {"scope": scope} | ({"topic": topic} if topic else {})
    await audit(request, permissions.EXPORT_CSV, used.audit() | extra)
    name = f"queries-{'unanswered-' if scope == 'gaps' else ''}{used.since}-to-{used.until}.csv"
    return download(body, "text/csv", name)


@auth.requires(permissions.EXPORT_NLU)
async def export_nlu(request: web.Request) -> web.Response:
    used = filter_from(request)
    key = request.match_info["key"]
    found = await auth.in_thread(request, gaps.find, request.app[ENGINE], used)
    group = found.group(key)
    if group is None:
        return await error_page(request, 404, "That group has changed", [
            "The unanswered questions have changed since the page was loaded, so that group is no longer there. "
            "Open the unanswered questions again and download the group from there."], used)
    snippet = gaps.nlu_snippet(group, exported=datetime.now(timezone.utc))
    await audit(request, permissions.EXPORT_NLU, used.audit() | {"group": key})
    return download(snippet, "application/x-yaml", f"unanswered-{key}.yml")


@auth.requires(permissions.EXPORT_HTML)
async def export_html(request: web.Request) -> web.Response:
    used = filter_from(request)
    report = await auth.in_thread(request, html_report.build, request.app[ENGINE], used)
    await audit(request, permissions.EXPORT_HTML, used.audit())
    return download(report, "text/html", f"board-report-{used.since}-to-{used.until}.html")


def _csv(engine: Engine, used: Filter, only_gaps: bool, topic: str | None) -> str:
    out = io.StringIO()
    write_csv_records(out, queries.records(engine, used.rows(topic=topic, unanswered=only_gaps)))
    return out.getvalue()
