"""The one way to read the query log: a QueryFilter, then rows or aggregates.

The review dashboard, its exports and `python -m bot export` / `report` all read through here, so that
what a board member sees on a page and what they download are the same rows. SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Dict, Iterator, List, Sequence

from sqlalchemy import String, and_, case, distinct, func, or_, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from bot.db.tables import query_log
from bot.querylog.from_tracker import FORMS
from bot.querylog.records import REFUSED, QueryRecord

ROLE_NOT_GIVEN = "_none"  # the filter value for practitioners who gave no role
COLUMNS = {
    "topic": query_log.c.topic,
    "channel": query_log.c.channel,
    "role": query_log.c.practitioner_role,
    "partnership": query_log.c.partnership,
}


@dataclass(frozen=True)
class QueryFilter:
    """Which rows: since <= created_at < until (UTC), and optionally one value of each column."""

    since: datetime | None = None
    until: datetime | None = None
    channel: str | None = None
    role: str | None = None  # ROLE_NOT_GIVEN for rows without a role
    partnership: str | None = None
    topic: str | None = None
    unanswered: bool = False  # the unanswered questions: see unanswered()
    typed: bool = False  # typed questions only, no button presses

    def where(self) -> ColumnElement:
        c = query_log.c
        clauses: List[ColumnElement] = []
        if self.since is not None:
            clauses.append(c.created_at >= self.since)
        if self.until is not None:
            clauses.append(c.created_at < self.until)
        if self.channel:
            clauses.append(c.channel == self.channel)
        if self.role == ROLE_NOT_GIVEN:
            clauses.append(c.practitioner_role.is_(None))
        elif self.role:
            clauses.append(c.practitioner_role == self.role)
        if self.partnership:
            clauses.append(c.partnership == self.partnership)
        if self.topic:
            clauses.append(c.topic == self.topic)
        if self.unanswered:
            clauses.append(unanswered())
        if self.typed:
            clauses.append(c.is_button.is_(False))
        return and_(True, *clauses)


class utc_day(FunctionElement):
    """The UTC calendar day of a timestamp column, as 'YYYY-MM-DD'."""

    type = String()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: Any, **kw: Any) -> str:
    # SQLite holds the UTC wall time (bot.db.types.UTCDateTime)
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


def misroute() -> ColumnElement:
    """Answered, but likely misunderstood: typed again within a minute, or "None of these" suggestions fitted."""
    c = query_log.c
    return c.rephrased.is_(True) | (c.did_you_mean == REFUSED)


def unanswered() -> ColumnElement:
    """The questions the dashboard lists as unanswered: typed ones that fell back, whose answer was marked not
    helpful, or that were likely misunderstood (misroute()). Button presses are left out, and so are replies
    inside a walkthrough unless they fell back: a walkthrough's question was answered as asked."""
    c = query_log.c
    missed = c.fell_back.is_(True) | c.helpful.is_(False) | misroute()
    not_a_walkthrough_reply = or_(c.fell_back.is_(True), c.topic.is_(None), c.topic.not_in(FORMS))
    return and_(missed, c.is_button.is_(False), not_a_walkthrough_reply)


def _sum(condition: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _measures() -> List[ColumnElement]:
    c = query_log.c
    return [
        func.count().label("total"),
        _sum(c.fell_back).label("fell_back"),
        _sum(c.helpful.is_(True)).label("helpful"),
        _sum(c.helpful.is_(False)).label("unhelpful"),
    ]


def records(engine: Engine, used: QueryFilter) -> Iterator[QueryRecord]:
    """The matching rows as records, oldest first, streamed."""
    c = query_log.c
    query = select(query_log).where(used.where()).order_by(c.created_at, c.id)
    with engine.connect() as connection:
        for row in connection.execution_options(stream_results=True).execute(query):
            values = dict(row._mapping)
            del values["id"]
            yield QueryRecord(**values)


def newest(connection: Connection, used: QueryFilter, columns: Sequence[str], limit: int) -> List[Row]:
    """Up to `limit` matching rows, newest first, with the named columns."""
    c = query_log.c
    query = (
        select(*(c[name] for name in columns)).where(used.where()).order_by(c.created_at.desc(), c.id.desc())
        .limit(limit)
    )
    return connection.execute(query).all()


def summary(connection: Connection, used: QueryFilter) -> Row:
    """total, fell_back, helpful, unhelpful, buttons, unanswered (of which misroutes: likely misunderstood) and
    distinct senders of the matching rows."""
    c = query_log.c
    return connection.execute(
        select(*_measures(), _sum(c.is_button).label("buttons"), _sum(unanswered()).label("unanswered"),
               _sum(and_(unanswered(), misroute())).label("misroutes"),
               func.count(distinct(c.sender)).label("senders")).where(used.where())
    ).one()


def grouped(connection: Connection, used: QueryFilter, by: str) -> List[Row]:
    """One row per value of column `by` (topic, channel, role, partnership): key and the measures."""
    column = COLUMNS[by]
    return connection.execute(
        select(column.label("key"), *_measures()).where(used.where()).group_by(column)
    ).all()


def per_day(connection: Connection, used: QueryFilter) -> Dict[date, tuple]:
    """(total, fell_back) per UTC day that has rows."""
    day = utc_day(query_log.c.created_at).label("day")
    measures = _measures()
    rows = connection.execute(select(day, measures[0], measures[1]).where(used.where()).group_by(day)).all()
    return {date.fromisoformat(row.day): (row.total, row.fell_back) for row in rows}


def values(engine: Engine, by: str) -> List[str]:
    """Every value column `by` holds, sorted, for a filter's choices."""
    column = COLUMNS[by]
    with engine.connect() as connection:
        return sorted(connection.execute(select(distinct(column)).where(column.is_not(None))).scalars().all())
