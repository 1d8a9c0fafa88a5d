"""Content health for the dashboard: what in the partnership's pack is overdue or not set up, how often
practitioners met each gap, and the topics most often marked not helpful.

Queries are counted since the pack was last signed off by the partnership (since the log began if it
never was), for the partnership the assistant serves, through the query log's one query API.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Dict, List

from sqlalchemy.engine import Engine

from bot.content import currency, partnership, topics
from bot.content.partnership import Gap, Partnership
from bot.querylog import queries
from bot.review.labels import topic_label

TOP_UNHELPFUL = 10


@dataclass(frozen=True)
class UnsetValue:
    """One local value the pack leaves unset, with the answers that use it and the queries that met it."""

    subject: str
    missing: List[str]
    paths: List[str]
    answers: List[str]  # titles of the answers whose text uses it
    hits: int  # queries whose topic's answer uses it, in the period


@dataclass(frozen=True)
class Unhelpful:
    topic: str
    label: str
    unhelpful: int
    total: int


@dataclass(frozen=True)
class Health:
    pack: Partnership
    today: date
    since: date | None  # the sign-off date the counts start from; None: since the log began
    overdue: List[currency.Overdue]
    unset: List[UnsetValue]  # most met first
    unhelpful: List[Unhelpful]  # most marked not helpful first


def _unset(gaps: List[Gap], catalogue: topics.Catalogue, per_topic: Dict[str, int]) -> List[UnsetValue]:
    grouped: Dict[str, List[Gap]] = {}
    for gap in gaps:
        if gap.placeholder:
            grouped.setdefault(gap.placeholder, []).append(gap)
    found = []
    for placeholder, group in grouped.items():
        keys = catalogue.uses(placeholder)
        found.append(UnsetValue(
            subject=group[0].subject, missing=[gap.missing for gap in group], paths=[gap.path for gap in group],
            answers=[catalogue.label(key) for key in keys], hits=sum(per_topic.get(key, 0) for key in keys)))
    return sorted(found, key=lambda value: (-value.hits, value.subject.lower()))


def content_health(engine: Engine, pack_id: str, today: date, catalogue: topics.Catalogue | None = None) -> Health:
    """Raises if the pack or the topics cannot be read: the page says so."""
    pack = partnership.load(pack_id, draft=True)
    catalogue = catalogue or topics.load()
    since = pack.signed_off
    rows = queries.QueryFilter(
        since=datetime.combine(since, time.min, timezone.utc) if since else None, partnership=pack_id)
    with engine.connect() as connection:
        grouped = queries.grouped(connection, rows, "topic")
    per_topic = {row.key: row.total for row in grouped if row.key is not None}
    unhelpful = sorted(
        (Unhelpful(row.key, topic_label(row.key),
                   row.unhelpful, row.total) for row in grouped if row.key is not None and row.unhelpful),
        key=lambda item: (-item.unhelpful, item.label.lower()))
    return Health(pack=pack, today=today, since=since, overdue=currency.overdue(pack, today),
                  unset=_unset(pack.gaps(), catalogue, per_topic), unhelpful=unhelpful[:TOP_UNHELPFUL])
