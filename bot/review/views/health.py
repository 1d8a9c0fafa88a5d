"""The content health page: overdue local guidance, unset local values and how often practitioners met them,
and the topics most often marked not helpful."""
from __future__ import annotations

import logging

from aiohttp import web

from bot import settings
from bot.review import auth, health, permissions
from bot.review.appkeys import ENGINE
from bot.review.views.common import audit, plain_page, today, topic_url

logger = logging.getLogger(__name__)


@auth.requires(permissions.VIEW_HEALTH)
async def health_page(request: web.Request) -> web.Response:
    pack_id = settings.partnership_id()
    try:
        found = await auth.in_thread(request, health.content_health, request.app[ENGINE], pack_id, today())
        problem = None
    except (OSError, ValueError) as error:  # a pack or topic file that cannot be read is shown, not a 500
        logger.warning("Content health for %s: %s", pack_id, error)
        found, problem = None, f"The content for {pack_id} cannot be read: {error}"
    await audit(request, permissions.VIEW_HEALTH, {"partnership": pack_id})
    return await plain_page(request, "health.html", "health", health=found, problem=problem, pack_id=pack_id,
                            topic_url=topic_url)
