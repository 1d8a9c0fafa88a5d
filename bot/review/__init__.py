"""The board review dashboard at /review: what practitioners ask, and what the assistant could not answer.

Logged-in board staff, trainers and admins see charts of the query log, the unanswered questions grouped
by similarity, topic drill-downs and exports. See README "For board staff and trainers".
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web


def add_routes(app: web.Application) -> None:
    """Adds the dashboard's pages and exports to the web app, under /review."""
    from bot.review import routes

    routes.add_routes(app)
