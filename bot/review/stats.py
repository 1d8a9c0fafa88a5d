"""Figures for the dashboard, counted by the database through the query log's one query API."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Dict, List, Sequence, Tuple

from sqlalchemy.engine import Engine

from bot.querylog import queries
from bot.review.filters import FIELDS, ROLE_NOT_GIVEN, Filter

NO_TOPIC = "(no topic)"
NOT_GIVEN = "(not given)"
EXAMPLES = 25


@dataclass(frozen=True)
class Counts:
    """Queries in one group, with how many fell back and what feedback they got."""

    name: str
    total: int
    fell_back: int
    helpful: int
    unhelpful: int
    value: str | None = None  # the filter value for this group, when it can be filtered on

    @property
    def rated(self) -> int:
        return self.helpful + self.unhelpful

    @property
    def fallback_rate(self) -> float | None:
        return self.fell_back / self.total if self.total else None

    @property
    def helpful_rate(self) -> float | None:
        """Of the answers given feedback, the share marked helpful."""
        return self.helpful / self.rated if self.rated else None


@dataclass(frozen=True)
class Period:
    """Counts per day or per week (week: Monday to Sunday, labelled with its Monday)."""

    start: date
    total: int
    fell_back: int


@dataclass(frozen=True)
class Overview:
    filter: Filter
    totals: Counts
    buttons: int
    unanswered: int  # the rows the gaps page groups (bot.querylog.queries.unanswered)
    misroutes: int  # of those, likely misunderstood: asked again within a minute, or refused the suggestions
    senders: int
    per_day: List[Period]
    per_week: List[Period]
    topics: List[Counts]
    channels: List[Counts]
    roles: List[Counts]
    partnerships: List[Counts]


@dataclass(frozen=True)
class Example:
    created_at: datetime
    text: str
    fell_back: bool
    helpful: bool | None
    is_button: bool


@dataclass(frozen=True)
class TopicDetail:
    filter: Filter
    topic: str
    totals: Counts
    per_day: List[Period]
    per_week: List[Period]
    roles: List[Counts]
    channels: List[Counts]
    examples: List[Example]  # newest first, typed questions, one of each text


def overview(engine: Engine, used: Filter) -> Overview:
    rows = used.rows()
    with engine.connect() as connection:
        row = queries.summary(connection, rows)
        per_day = _per_day(queries.per_day(connection, rows), used)
        groups = {name: queries.grouped(connection, rows, name) for name in queries.COLUMNS}
    totals = Counts("all", row.total, row.fell_back, row.helpful, row.unhelpful)
    return Overview(
        filter=used, totals=totals, buttons=row.buttons, unanswered=row.unanswered, misroutes=row.misroutes,
        senders=row.senders,
        per_day=per_day, per_week=weekly(per_day),
        topics=_named(groups["topic"], NO_TOPIC, filterable=False),
        channels=_named(groups["channel"], NOT_GIVEN),
        roles=_named(groups["role"], NOT_GIVEN, none_value=ROLE_NOT_GIVEN),
        partnerships=_named(groups["partnership"], NOT_GIVEN),
    )


def topic_detail(engine: Engine, used: Filter, topic: str) -> TopicDetail:
    rows = used.rows(topic=topic)
    with engine.connect() as connection:
        row = queries.summary(connection, rows)
        per_day = _per_day(queries.per_day(connection, rows), used)
        roles = queries.grouped(connection, rows, "role")
        channels = queries.grouped(connection, rows, "channel")
        latest = queries.newest(connection, used.rows(topic=topic, typed=True),
                                ("created_at", "text", "fell_back", "helpful", "is_button"), EXAMPLES * 8)
    examples: List[Example] = []
    seen = set()
    for item in latest:
        key = item.text.strip().lower()
        if key and key not in seen and len(examples) < EXAMPLES:
            seen.add(key)
            examples.append(Example(item.created_at, item.text, item.fell_back, item.helpful, item.is_button))
    return TopicDetail(
        filter=used, topic=topic, totals=Counts(topic, row.total, row.fell_back, row.helpful, row.unhelpful),
        per_day=per_day, per_week=weekly(per_day),
        roles=_named(roles, NOT_GIVEN, none_value=ROLE_NOT_GIVEN), channels=_named(channels, NOT_GIVEN),
        examples=examples,
    )


def options(engine: Engine) -> Dict[str, List[str]]:
    """The channels, roles and partnerships the query log holds, for the filter's lists."""
    return {name: queries.values(engine, name) for name in FIELDS}


def weekly(per_day: Sequence[Period]) -> List[Period]:
    """Days summed into ISO weeks (Monday first); the first and last weeks may be partial."""
    totals: Counter = Counter()
    fell_back: Counter = Counter()
    for day in per_day:
        monday = day.start - timedelta(days=day.start.weekday())
        totals[monday] += day.total
        fell_back[monday] += day.fell_back
    return [Period(monday, totals[monday], fell_back[monday]) for monday in sorted(totals)]


def _per_day(found: Dict[date, tuple], used: Filter) -> List[Period]:
    """Every day of the filter, with zeros where nothing was asked."""
    return [Period(each, *found.get(each, (0, 0))) for each in used.days()]


def _named(rows: List[Tuple], none_label: str, none_value: str | None = None,
           filterable: bool = True) -> List[Counts]:
    counted = [
        Counts(
            name=row.key if row.key is not None else none_label,
            total=row.total, fell_back=row.fell_back, helpful=row.helpful, unhelpful=row.unhelpful,
            value=(row.key if row.key is not None else none_value) if filterable else row.key,
        )
        for row in rows
    ]
    return sorted(counted, key=lambda counts: (-counts.total, counts.name))
