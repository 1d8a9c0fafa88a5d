"""Figures for the dashboard, counted by the database (SQLAlchemy 2.0-style, SQLite and PostgreSQL alike)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Dict, List, Sequence, Tuple

from sqlalchemy import String, and_, case, distinct, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from bot.querylog.models import query_log
from bot.review.filters import FIELDS, ROLE_NOT_GIVEN, Filter

NO_TOPIC = "(no topic)"
NOT_GIVEN = "(not given)"
EXAMPLES = 25


class utc_day(FunctionElement):
    """The UTC calendar day of a timestamp column, as 'YYYY-MM-DD'."""

    type = String()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: Any, **kw: Any) -> str:
    # SQLite holds the UTC wall time (models.UTCDateTime)
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


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
    unanswered: int  # fell back or marked not helpful: the rows the gaps page groups
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


def _measures() -> List[ColumnElement]:
    c = query_log.c
    return [
        func.count().label("total"),
        func.coalesce(func.sum(case((c.fell_back, 1), else_=0)), 0).label("fell_back"),
        func.coalesce(func.sum(case((c.helpful.is_(True), 1), else_=0)), 0).label("helpful"),
        func.coalesce(func.sum(case((c.helpful.is_(False), 1), else_=0)), 0).label("unhelpful"),
    ]


def unanswered_condition() -> ColumnElement:
    return (query_log.c.fell_back.is_(True)) | (query_log.c.helpful.is_(False))


def overview(engine: Engine, used: Filter) -> Overview:
    where = and_(*used.conditions(query_log))
    c = query_log.c
    with engine.connect() as connection:
        row = connection.execute(
            select(*_measures(),
                   func.coalesce(func.sum(case((c.is_button, 1), else_=0)), 0).label("buttons"),
                   func.coalesce(func.sum(case((unanswered_condition(), 1), else_=0)), 0).label("unanswered"),
                   func.count(distinct(c.sender)).label("senders"))
            .where(where)
        ).one()
        per_day = _per_day(connection, where, used)
        groups = {name: _grouped(connection, where, column) for name, column in _GROUPINGS.items()}
    totals = Counts("all", row.total, row.fell_back, row.helpful, row.unhelpful)
    return Overview(
        filter=used, totals=totals, buttons=row.buttons, unanswered=row.unanswered, senders=row.senders,
        per_day=per_day, per_week=weekly(per_day),
        topics=_named(groups["topic"], NO_TOPIC, filterable=False),
        channels=_named(groups["channel"], NOT_GIVEN),
        roles=_named(groups["role"], NOT_GIVEN, none_value=ROLE_NOT_GIVEN),
        partnerships=_named(groups["partnership"], NOT_GIVEN),
    )


def topic_detail(engine: Engine, used: Filter, topic: str) -> TopicDetail:
    c = query_log.c
    where = and_(*used.conditions(query_log), c.topic == topic)
    with engine.connect() as connection:
        row = connection.execute(select(*_measures()).where(where)).one()
        per_day = _per_day(connection, where, used)
        roles = _grouped(connection, where, c.practitioner_role)
        channels = _grouped(connection, where, c.channel)
        latest = connection.execute(
            select(c.created_at, c.text, c.fell_back, c.helpful, c.is_button)
            .where(where, c.is_button.is_(False)).order_by(c.created_at.desc(), c.id.desc()).limit(EXAMPLES * 8)
        ).all()
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
    columns = {"channel": query_log.c.channel, "role": query_log.c.practitioner_role,
               "partnership": query_log.c.partnership}
    found: Dict[str, List[str]] = {}
    with engine.connect() as connection:
        for name in FIELDS:
            column = columns[name]
            values = connection.execute(select(distinct(column)).where(column.is_not(None))).scalars().all()
            found[name] = sorted(values)
    return found


def weekly(per_day: Sequence[Period]) -> List[Period]:
    """Days summed into ISO weeks (Monday first); the first and last weeks may be partial."""
    totals: Counter = Counter()
    fell_back: Counter = Counter()
    for day in per_day:
        monday = day.start - timedelta(days=day.start.weekday())
        totals[monday] += day.total
        fell_back[monday] += day.fell_back
    return [Period(monday, totals[monday], fell_back[monday]) for monday in sorted(totals)]


_GROUPINGS = {
    "topic": query_log.c.topic,
    "channel": query_log.c.channel,
    "role": query_log.c.practitioner_role,
    "partnership": query_log.c.partnership,
}


def _per_day(connection: Any, where: ColumnElement, used: Filter) -> List[Period]:
    """Every day of the filter, with zeros where nothing was asked."""
    day = utc_day(query_log.c.created_at).label("day")
    measures = _measures()
    rows = connection.execute(select(day, measures[0], measures[1]).where(where).group_by(day)).all()
    found = {date.fromisoformat(row.day): (row.total, row.fell_back) for row in rows}
    return [Period(each, *found.get(each, (0, 0))) for each in used.days()]


def _grouped(connection: Any, where: ColumnElement, column: ColumnElement) -> List[Tuple]:
    key = column.label("key")
    return connection.execute(select(key, *_measures()).where(where).group_by(column)).all()


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
