"""Summary tables of the query log: topics, fallbacks, channels, roles, helpfulness."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, List

from tabulate import tabulate

from bot.querylog.period import day_bounds, describe
from bot.querylog.records import QueryRecord
from bot.querylog.store import QueryLog


@dataclass
class Summary:
    total: int = 0
    fell_back: int = 0
    buttons: int = 0
    topics: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    helpfulness: Counter = field(default_factory=Counter)  # "helpful" / "not helpful" / "no feedback"


def summarise(records: Iterable[QueryRecord]) -> Summary:
    summary = Summary()
    for record in records:
        summary.total += 1
        summary.fell_back += record.fell_back
        summary.buttons += record.is_button
        summary.topics[record.topic or "(none)"] += 1
        summary.channels[record.channel] += 1
        summary.roles[record.practitioner_role or "(not given)"] += 1
        summary.helpfulness[_helpfulness(record.helpful)] += 1
    return summary


def render(summary: Summary, period: str = "all time", top: int = 10) -> str:
    title = f"Query log, {period}: {summary.total} queries"
    if not summary.total:
        return f"{title}.\n"
    topics = _ranked(summary.topics)
    if len(topics) > top:
        rest = topics[top:]
        topics = topics[:top] + [(f"(other {len(rest)} topics)", sum(count for _, count in rest))]
    helpfulness = [(label, summary.helpfulness[label]) for label in ("helpful", "not helpful", "no feedback")]
    sections = [
        title,
        f"Fallback rate: {summary.fell_back} of {summary.total} ({_share(summary.fell_back, summary.total)})\n"
        f"Button presses: {summary.buttons} of {summary.total} ({_share(summary.buttons, summary.total)})",
        _table("Top topics", "topic", topics, summary.total),
        _table("By channel", "channel", _ranked(summary.channels), summary.total),
        _table("By role", "role", _ranked(summary.roles), summary.total),
        _table("Helpfulness", "feedback", helpfulness, summary.total),
    ]
    return "\n\n".join(sections) + "\n"


def report(log: QueryLog, since: date | None = None, until: date | None = None, top: int = 10) -> str:
    return render(summarise(log.rows(*day_bounds(since, until))), describe(since, until), top)


def _helpfulness(helpful: bool | None) -> str:
    return "no feedback" if helpful is None else "helpful" if helpful else "not helpful"


def _ranked(counter: Counter) -> List[tuple]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%"


def _table(title: str, label: str, rows: List[tuple], total: int) -> str:
    body = [(name, count, _share(count, total)) for name, count in rows]
    return f"{title}\n" + tabulate(body, headers=[label, "count", "share"], colalign=("left", "right", "right"))
