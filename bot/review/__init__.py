"""The board review dashboard at /review: what practitioners ask, and what the assistant could not answer.

Logged-in board staff, trainers and admins see charts of the query log, the unanswered questions grouped
by similarity, topic drill-downs, content health and exports. See docs/board.md.

app.py           sets the dashboard up on the web app: stores, thread pool, middlewares, the route table
appkeys.py       the keys of what the web app holds for the dashboard
middlewares.py   no-cache headers, the session, error pages and the CSRF check, on the dashboard's routes
views/           the handlers: pages.py, classes.py, exports.py, login.py, health.py (the content health
                 page), and common.py, what they share
auth.py          sessions, logging in and out, each page's permission check
csrf.py          CSRF tokens
accounts.py      accounts, argon2id, lock-out
permissions.py   which role may see what
audit.py         the audit trail
config.py        the dashboard's settings from the environment
filters.py       the checked filter
stats.py         the query log's figures (SQLAlchemy, counted by the database)
gaps.py          grouping the unanswered questions, and the NLU snippet
health.py        content health: overdue or unset local guidance, how often it was met, unhelpful topics
charts.py        SVG charts
rendering.py     what each page shows, and the Jinja2 templates (templates/, static/)
labels.py        plain words for the names the query log holds (topics, intents, channels, roles)
html_report.py   the board report
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web


def add_routes(app: web.Application) -> None:
    """Adds the dashboard's pages and exports to the web app, under /review."""
    from bot.review import app as dashboard

    dashboard.setup(app)
