"""The dashboard's filter: a date range (UTC days), and optionally one channel, role and partnership.

Read from the query string and checked here; anything unusable raises FilterError with a message fit to
show the user (a 400 page), never a crash.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Dict, List, Mapping, Tuple

from bot.querylog.period import day_bounds
from bot.querylog.queries import ROLE_NOT_GIVEN, QueryFilter
from bot.review.labels import channel_label, partnership_label, role_label

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366
FIRST_YEAR, LAST_YEAR = 2000, 2100
VALUE_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")
TOPIC_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,100}")
FIELDS = ("channel", "role", "partnership")


class FilterError(ValueError):
    """Filter input that cannot be used; each problem is a sentence for the user."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Filter:
    since: date
    until: date
    channel: str | None = None
    role: str | None = None
    partnership: str | None = None

    def bounds(self) -> Tuple[datetime, datetime]:
        """[start of since, end of until) in UTC."""
        start, end = day_bounds(self.since, self.until)
        assert start is not None and end is not None
        return start, end

    def days(self) -> List[date]:
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]

    def rows(self, topic: str | None = None, unanswered: bool = False, typed: bool = False) -> QueryFilter:
        """The query-log rows this filter selects (optionally one topic, only gaps, only typed questions)."""
        since, until = self.bounds()
        return QueryFilter(since=since, until=until, channel=self.channel, role=self.role,
                           partnership=self.partnership, topic=topic, unanswered=unanswered, typed=typed)

    def query(self, **extra: str) -> Dict[str, str]:
        """The filter as query parameters, for links and forms."""
        values = {"since": self.since.isoformat(), "until": self.until.isoformat()}
        values.update({name: getattr(self, name) for name in FIELDS if getattr(self, name)})
        return values | extra

    def audit(self) -> Dict[str, Any]:
        return self.query()

    def describe(self) -> str:
        """The filter in plain words, for the page (labels, not the raw values of the query string)."""
        parts = [f"{self.since:%-d %b %Y} to {self.until:%-d %b %Y} (UTC)"]
        if self.channel:
            parts.append(f"channel {channel_label(self.channel)}")
        if self.role:
            parts.append("no role given" if self.role == ROLE_NOT_GIVEN else f"role {role_label(self.role)}")
        if self.partnership:
            parts.append(f"partnership {partnership_label(self.partnership)}")
        return ", ".join(parts)

    def with_dates(self, since: date, until: date) -> Filter:
        return replace(self, since=since, until=until)


def default(today: date) -> Filter:
    return Filter(since=today - timedelta(days=DEFAULT_DAYS - 1), until=today)


def parse(params: Mapping[str, str], today: date) -> Filter:
    problems: List[str] = []
    base = default(today)
    since = _date(params, "since", "From", problems) or base.since
    until = _date(params, "until", "To", problems) or base.until
    if not problems:
        if since > until:
            problems.append(f"The “from” date ({since:%-d %b %Y}) is after the “to” date ({until:%-d %b %Y}).")
        elif (until - since).days + 1 > MAX_DAYS:
            problems.append(f"The date range is longer than {MAX_DAYS} days: choose a shorter one.")
    values: Dict[str, str | None] = {}
    for name in FIELDS:
        value = (params.get(name) or "").strip()
        if value and not VALUE_PATTERN.fullmatch(value):
            problems.append(f"The {name} “{value[:40]}” is not one the query log can hold.")
        values[name] = value or None
    if problems:
        raise FilterError(problems)
    return Filter(since=since, until=until, **values)


def check_topic(topic: str) -> str:
    if not TOPIC_PATTERN.fullmatch(topic):
        raise FilterError([f"“{topic[:40]}” is not a topic name."])
    return topic


def presets(today: date) -> List[Tuple[str, date, date]]:
    """Quick date ranges offered above the filter."""
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    return [
        ("Last 30 days", today - timedelta(days=29), today),
        ("This month", month_start, today),
        ("Last month", last_month_end.replace(day=1), last_month_end),
        ("Last 12 months", today - timedelta(days=364), today),
    ]


def _date(params: Mapping[str, str], name: str, label: str, problems: List[str]) -> date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(f"“{label}” must be a date like 2024-03-31, not “{value[:40]}”.")
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems.append(f"“{label}” must be a date between {FIRST_YEAR} and {LAST_YEAR}.")
        return None
    return day
