"""The query log's pages (overview, unanswered questions, a topic, the audit trail), /review's redirect and 404."""
from __future__ import annotations

from aiohttp import web

from bot.review import auth, filters, gaps, permissions, rendering, stats
from bot.review.appkeys import AUDIT, ENGINE
from bot.review.views.common import audit, filter_from, page, topic_url

AUDIT_LIMIT = 500


@auth.requires(permissions.VIEW_OVERVIEW)
async def overview_page(request: web.Request) -> web.Response:
    used = filter_from(request)
    overview = await auth.in_thread(request, stats.overview, request.app[ENGINE], used)
    context = await auth.in_thread(request, rendering.overview_context, overview)
    context["topic_link"] = lambda counts: topic_url(counts.value, used)
    await audit(request, permissions.VIEW_OVERVIEW, used.audit())
    return await page(request, "overview.html", "overview", used, **context)


@auth.requires(permissions.VIEW_GAPS)
async def gaps_page(request: web.Request) -> web.Response:
    used = filter_from(request)
    found = await auth.in_thread(request, gaps.find, request.app[ENGINE], used)
    context = await auth.in_thread(request, rendering.gaps_context, found)
    await audit(request, permissions.VIEW_GAPS, used.audit())
    return await page(request, "gaps.html", "gaps", used, **context)


@auth.requires(permissions.VIEW_TOPIC)
async def topic_page(request: web.Request) -> web.Response:
    used = filter_from(request)
    topic = filters.check_topic(request.match_info["topic"])
    detail = await auth.in_thread(request, stats.topic_detail, request.app[ENGINE], used, topic)
    context = await auth.in_thread(request, rendering.topic_context, detail)
    await audit(request, permissions.VIEW_TOPIC, used.audit() | {"topic": topic})
    return await page(request, "topic.html", "topic", used, action=topic_url(topic), **context)


@auth.requires(permissions.VIEW_AUDIT)
async def audit_page(request: web.Request) -> web.Response:
    used = filter_from(request)
    entries = await auth.in_thread(request, request.app[AUDIT].entries, *used.bounds(), AUDIT_LIMIT)
    await audit(request, permissions.VIEW_AUDIT, used.audit())
    return await page(request, "audit.html", "audit", used, entries=entries, limit=AUDIT_LIMIT, date_only=True)


async def to_overview(request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently("/review/")


async def not_found(request: web.Request) -> web.Response:
    raise web.HTTPNotFound()
