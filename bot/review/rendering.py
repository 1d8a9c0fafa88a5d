"""What each dashboard page shows, ready for its template: figures, charts and labels; and the templates.

Builders here are plain functions of the database's answers, shared by the web pages (views/) and
the HTML report (html_report.py). Templates are Jinja2 with autoescape: logged text is always escaped.
"""
from __future__ import annotations

import functools
from datetime import date, datetime
from pathlib import Path
from typing import Any, Dict, List, Tuple

import jinja2

from bot.quiz.results import ClassResults
from bot.review import charts
from bot.review.gaps import Gaps
from bot.review.stats import Counts, Overview, TopicDetail

HERE = Path(__file__).resolve().parent
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
TOP_TOPICS = 10


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def day(value: date | datetime) -> str:
    return f"{value:%-d %b %Y}"


def moment(value: datetime) -> str:
    return f"{value:%-d %b %Y %H:%M} UTC"


def split_row(counts: Counts) -> Tuple[str, Counts]:
    return counts.name, counts


TEMPLATES.filters.update(percent=percent, day=day, moment=moment, split_row=split_row)


def render(template: str, **context: Any) -> str:
    return TEMPLATES.get_template(template).render(**context)


@functools.lru_cache(maxsize=1)
def topic_titles() -> Dict[str, str]:
    """Topic ids to the titles practitioners see; ids alone if the content cannot be read."""
    try:
        from bot.content import topics

        return {key: entry.title or key for key, entry in topics.load().topics.items()}
    except Exception:  # the dashboard must not depend on the content being valid
        return {}


def topic_label(topic: str | None) -> str:
    if topic is None:
        return "(no topic)"
    return topic_titles().get(topic, topic)


def overview_context(overview: Overview) -> Dict[str, Any]:
    topics = [counts for counts in overview.topics if counts.value is not None][:TOP_TOPICS]
    totals = overview.totals
    return {
        "overview": overview,
        "topics": [(topic_label(counts.value), counts) for counts in overview.topics],
        "charts": {
            "per_day": charts.per_day("per-day", overview.per_day),
            "per_week": charts.per_week("per-week", overview.per_week),
            "topics": charts.bars("top-topics", f"Top {len(topics)} topics",
                                  [(topic_label(counts.value), counts.total) for counts in topics]),
            "feedback": charts.helpfulness("feedback", totals.helpful, totals.unhelpful,
                                           totals.total - totals.rated),
        },
        "splits": [
            ("channel", "By channel", overview.channels, _bars("by-channel", "Queries by channel", overview.channels)),
            ("role", "By role", overview.roles, _bars("by-role", "Queries by role", overview.roles)),
            ("partnership", "By partnership", overview.partnerships,
             _bars("by-partnership", "Queries by partnership", overview.partnerships)),
        ],
    }


def topic_context(detail: TopicDetail) -> Dict[str, Any]:
    totals = detail.totals
    label = topic_label(detail.topic)
    return {
        "detail": detail,
        "label": label,
        "charts": {
            "per_day": charts.per_day("topic-per-day", detail.per_day, f"“{label}”: queries per day"),
            "per_week": charts.per_week("topic-per-week", detail.per_week, f"“{label}”: queries per week"),
            "feedback": charts.helpfulness("topic-feedback", totals.helpful, totals.unhelpful,
                                           totals.total - totals.rated),
        },
        "splits": [("role", "By role", detail.roles), ("channel", "By channel", detail.channels)],
    }


def gaps_context(gaps: Gaps, shown_groups: int | None = None) -> Dict[str, Any]:
    groups = gaps.groups if shown_groups is None else gaps.groups[:shown_groups]
    return {"gaps": gaps, "groups": groups, "topic_label": topic_label,
            "groups_chart": charts.bars("gap-groups", "Biggest groups of unanswered questions",
                                 [(", ".join(group.terms) or group.example.text, group.size)
                                  for group in gaps.groups[:10]], unit="questions") if gaps.groups else None}


def class_context(results: ClassResults, scores: List[Tuple[str, int]]) -> Dict[str, Any]:
    """A training class's results: % correct per scenario, and participants by overall score."""
    code = results.quiz_class.code
    return {
        "results": results,
        "charts": {
            "correct": charts.percentages(
                "class-correct", f"Class {code}: answered correctly, per scenario",
                [(result.title, result.percent_correct, result.correct, result.answered)
                 for result in results.scenarios]) if results.scenarios else None,
            "scores": charts.bars("class-scores", f"Class {code}: participants by overall score", scores,
                                  unit="participants") if results.participants else None,
        },
    }


def _bars(chart_id: str, title: str, rows: List[Counts]) -> charts.Chart:
    return charts.bars(chart_id, title, [(counts.name, counts.total) for counts in rows[:15]])

