"""The board report: one self-contained HTML file (styles and SVG charts inside, no scripts, nothing fetched)
with the overview and the biggest groups of unanswered questions for a period.

`python -m bot report --format html --since DATE --until DATE [--out FILE]`, or "Download the board
report" on the dashboard.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from markupsafe import Markup
from sqlalchemy.engine import Engine

from bot.review import filters, gaps, rendering, stats
from bot.review.filters import DEFAULT_DAYS, Filter
from bot.review.labels import partnership_label

STYLESHEET = rendering.HERE / "static" / "report.css"
GROUPS = 10  # groups of unanswered questions in the report
EXAMPLES = 5  # questions shown per group


def build(engine: Engine, used: Filter, generated: datetime | None = None) -> str:
    overview = stats.overview(engine, used)
    found = gaps.find(engine, used)
    css = STYLESHEET.read_text(encoding="utf-8")
    if "</" in css:
        raise ValueError(f"{STYLESHEET} must not contain '</'")
    return rendering.render(
        "report.html",
        **rendering.overview_context(overview),
        **rendering.gaps_context(found, shown_groups=GROUPS),
        filter=used,
        examples=EXAMPLES,
        partnership_names=_partnerships(overview),
        generated=generated or datetime.now(timezone.utc),
        stylesheet=Markup(css),  # the project's own file, not logged text
    )


def period(since: date | None, until: date | None, today: date) -> Filter:
    """The report's period: the dates given, else the 30 days ending on --until (or today).

    Checked as the dashboard's filter is: FilterError if --since is after --until or the range is too long.
    """
    end = until or today
    start = since or end - timedelta(days=DEFAULT_DAYS - 1)
    return filters.parse({"since": start.isoformat(), "until": end.isoformat()}, today)


def _partnerships(overview: stats.Overview) -> str:
    names = [partnership_label(counts.value) for counts in overview.partnerships]
    return ", ".join(names) if names else "–"
