"""The trainers' pages for training classes of the scenario quiz: the list, creating, closing, a class, its CSV."""
from __future__ import annotations

import logging
from typing import List

from aiohttp import web
from aiohttp_session import get_session

from bot.content import scenarios as quiz_scenarios
from bot.quiz import results as quiz_results
from bot.quiz.classes import NAME_LIMIT, ClassError, Classes
from bot.quiz.codes import normalise as normalise_code
from bot.review import auth, forms, permissions, rendering
from bot.review.appkeys import CLASSES
from bot.review.views.common import audit, download, error_page, plain_page

logger = logging.getLogger(__name__)
CREATED, CLOSED = "class_created", "class_closed"  # session keys: what the classes page says once after a POST


@auth.requires(permissions.VIEW_CLASSES)
async def classes_page(request: web.Request) -> web.Response:
    found = await auth.in_thread(request, quiz_results.summaries, request.app[CLASSES])
    session = await get_session(request)
    codes = {summary.quiz_class.code for summary in found}
    created, closed = session.pop(CREATED, None), session.pop(CLOSED, None)
    await audit(request, permissions.VIEW_CLASSES, {})
    return await plain_page(request, "classes.html", "classes", summaries=found,
                            created=created if created in codes else None,
                            closed=closed if closed in codes else None, name_limit=NAME_LIMIT)


@auth.requires(permissions.CREATE_CLASS)
async def create_class(request: web.Request) -> web.Response:
    form = await forms.read(request)
    name = str(form.get("name", ""))[:4 * NAME_LIMIT]  # Classes.create tidies and shortens it
    created = await auth.in_thread(request, request.app[CLASSES].create, name)
    await audit(request, permissions.CREATE_CLASS, {"code": created.code})
    (await get_session(request))[CREATED] = created.code
    raise web.HTTPSeeOther("/review/classes")


@auth.requires(permissions.CLOSE_CLASS)
async def close_class(request: web.Request) -> web.Response:
    code = normalise_code(request.match_info["code"])
    try:
        closed = await auth.in_thread(request, request.app[CLASSES].close, code or "")
    except ClassError:
        return await _no_class(request)
    await audit(request, permissions.CLOSE_CLASS, {"code": closed.code})
    (await get_session(request))[CLOSED] = closed.code
    raise web.HTTPSeeOther("/review/classes")


@auth.requires(permissions.VIEW_CLASS)
async def class_page(request: web.Request) -> web.Response:
    found = await auth.in_thread(request, _class_results, request.app[CLASSES], request.match_info["code"], True)
    if found is None:
        return await _no_class(request)
    results, scores = found
    context = await auth.in_thread(request, rendering.class_context, results, scores)
    await audit(request, permissions.VIEW_CLASS, {"code": results.quiz_class.code})
    return await plain_page(request, "class.html", "classes", **context)


@auth.requires(permissions.EXPORT_CLASS_CSV)
async def export_class_csv(request: web.Request) -> web.Response:
    found = await auth.in_thread(request, _class_results, request.app[CLASSES], request.match_info["code"], False)
    if found is None:
        return await _no_class(request)
    results = found[0]
    await audit(request, permissions.EXPORT_CLASS_CSV, {"code": results.quiz_class.code})
    return download(quiz_results.as_csv(results), "text/csv", f"class-{results.quiz_class.code}-results.csv")


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
    return await error_page(request, 404, "There is no such class", [
        "No class has that code. Check the code, or choose the class from the list of classes."],
        back=("/review/classes", "Back to the classes"))
