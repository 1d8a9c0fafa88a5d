"""What each dashboard page shows, ready for its template: figures, charts and labels; and the templates.

Builders here are plain functions of the database's answers, shared by the web pages (views/) and
the HTML report (html_report.py). Templates are Jinja2 with autoescape: logged text is always escaped.
Topics, intents, channels, roles and partnerships are shown in plain words (labels.py), never by their
raw names; filter values in links stay raw.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Dict, List, Tuple

import jinja2

from bot.querylog.from_tracker import FALLBACK_INTENT
from bot.quiz.results import ClassResults
from bot.review import charts, gaps
from bot.review.gaps import Gaps, Question
from bot.review.labels import intent_label, label, topic_label
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


def option_label(field: str, value: str) -> str:
    """A filter choice in plain words; its value stays raw."""
    return label(field, value)


# Why a question is on the unanswered page, as the page's summary counts it.
REASON_LABELS = {
    gaps.NOT_UNDERSTOOD: "not understood",
    gaps.REFUSED_SUGGESTIONS: "not understood, and none of the suggested topics fitted",
    gaps.CHOSE_SUGGESTION: "not understood at first, then a suggested topic chosen",
    gaps.REPHRASED: "likely misunderstood: asked again within a minute of the answer",
    gaps.NOT_HELPFUL: "answer marked not helpful",
}


def why(question: Question) -> str:
    """Why the question is listed, in a sentence fragment for the page."""
    parts = []
    for reason in question.reasons:
        if reason == gaps.NOT_UNDERSTOOD:
            # rows logged before the classifier's own intent was kept hold nlu_fallback: no closest topic known
            known = question.intent and question.intent != FALLBACK_INTENT
            closest = f" (closest topic: “{intent_label(question.intent)}”)" if known else ""
            parts.append(f"not understood{closest}")
        elif reason == gaps.REFUSED_SUGGESTIONS:
            parts.append("not understood, and none of the suggested topics fitted")
        elif reason == gaps.CHOSE_SUGGESTION:
            parts.append(f"not understood at first: then chose “{topic_label(question.chosen_topic)}” "
                         "from the suggestions")
        elif reason == gaps.REPHRASED:
            runner_up = (f"; the next closest was “{intent_label(question.runner_up_intent)}”"
                         if question.runner_up_intent else "")
            parts.append(f"likely misunderstood: answered with “{topic_label(question.topic)}”, then asked again "
                         f"within a minute{runner_up}")
        elif reason == gaps.NOT_HELPFUL:
            parts.append(f"answer “{topic_label(question.topic)}” marked not helpful")
    return "; ".join(parts)


TEMPLATES.filters.update(percent=percent, day=day, moment=moment, option_label=option_label, why=why)


def render(template: str, **context: Any) -> str:
    return TEMPLATES.get_template(template).render(**context)


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
            ("channel", "By channel", _labelled("channel", overview.channels),
             _bars("by-channel", "Queries by channel", _labelled("channel", overview.channels))),
            ("role", "By role", _labelled("role", overview.roles),
             _bars("by-role", "Queries by role", _labelled("role", overview.roles))),
            ("partnership", "By partnership", _labelled("partnership", overview.partnerships),
             _bars("by-partnership", "Queries by partnership", _labelled("partnership", overview.partnerships))),
        ],
    }


def topic_context(detail: TopicDetail) -> Dict[str, Any]:
    totals = detail.totals
    title = topic_label(detail.topic)
    return {
        "detail": detail,
        "label": title,
        "charts": {
            "per_day": charts.per_day("topic-per-day", detail.per_day, f"“{title}”: queries per day"),
            "per_week": charts.per_week("topic-per-week", detail.per_week, f"“{title}”: queries per week"),
            "feedback": charts.helpfulness("topic-feedback", totals.helpful, totals.unhelpful,
                                           totals.total - totals.rated),
        },
        "splits": [("role", "By role", _labelled("role", detail.roles)),
                   ("channel", "By channel", _labelled("channel", detail.channels))],
    }


def gaps_context(found: Gaps, shown_groups: int | None = None) -> Dict[str, Any]:
    groups = found.groups if shown_groups is None else found.groups[:shown_groups]
    return {"gaps": found, "groups": groups, "reason_labels": REASON_LABELS,
            "groups_chart": charts.bars("gap-groups", "Biggest groups of unanswered questions",
                                 [(", ".join(group.terms) or group.example.text, group.size)
                                  for group in found.groups[:10]], unit="questions") if found.groups else None}


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


def _labelled(field: str, rows: List[Counts]) -> List[Tuple[str, Counts]]:
    """Each group's counts with its name in plain words ("(not given)" where the log holds none)."""
    return [(label(field, counts.value), counts) for counts in rows]


def _bars(chart_id: str, title: str, rows: List[Tuple[str, Counts]]) -> charts.Chart:
    return charts.bars(chart_id, title, [(name, counts.total) for name, counts in rows[:15]])

