"""The dashboard's figures, on SQLite and on a real PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, text

from bot.db.tables import query_log
from bot.querylog import queries
from bot.querylog.records import QueryRecord
from bot.querylog.store import QueryLog
from bot.review import stats
from bot.review.filters import ROLE_NOT_GIVEN, Filter

MARCH = Filter(since=date(2024, 3, 1), until=date(2024, 3, 10))


def row(n: int, when: datetime, **fields) -> QueryRecord:
    values = dict(message_id=f"m{n}", created_at=when, channel="rest", sender=f"p_{n % 3:032x}",
                  partnership="pan_cheshire", practitioner_role="police", text=f"question {n}",
                  intent="child_missing", confidence=0.9, topic="child_missing", fell_back=False, is_button=False)
    return QueryRecord(**(values | fields))


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2024, 3, day, hour, minute, tzinfo=timezone.utc)


ROWS = [
    row(1, at(1), helpful=True),
    row(2, at(1, 23, 59), channel="teams", practitioner_role=None, helpful=False, text="what now?"),
    row(3, at(2, 0, 0), topic=None, intent="nlu_fallback", fell_back=True, text="who pays for the hotel"),
    row(4, at(4), topic="child_found", channel="socketio", practitioner_role="social_worker", is_button=True,
        text="What to do when the child is found", helpful=True),
    row(5, at(4, 8), topic="child_found", partnership="bscb", text="found him, what next?", helpful=False),
    row(6, at(4, 9), topic="child_found", partnership="bscb", text="Found him, what next?"),
    row(7, at(10, 23, 30), topic=None, fell_back=True, channel="teams", text="weather"),
    row(8, at(11, 0, 1), text="the day after the period"),  # outside
    row(9, datetime(2024, 2, 29, 23, 59, tzinfo=timezone.utc), text="the day before"),  # outside
]


@pytest.fixture(autouse=True)
def logged(database_url: str) -> None:
    """Every test reads ROWS, through the `engine` of tests/fixtures.py (SQLite and PostgreSQL)."""
    QueryLog(database_url).record(ROWS)


def test_overview_totals_and_rates(engine) -> None:
    overview = stats.overview(engine, MARCH)
    totals = overview.totals
    assert (totals.total, totals.fell_back, totals.helpful, totals.unhelpful) == (7, 2, 2, 2)
    assert totals.fallback_rate == pytest.approx(2 / 7) and totals.helpful_rate == 0.5
    assert overview.buttons == 1
    assert overview.unanswered == 4  # two fell back, two marked not helpful
    assert overview.senders == 3


def test_per_day_in_utc_with_empty_days_and_weeks(engine) -> None:
    overview = stats.overview(engine, MARCH)
    days = {period.start: (period.total, period.fell_back) for period in overview.per_day}
    assert len(days) == 10
    assert days[date(2024, 3, 1)] == (2, 0)  # 23:59 UTC is still the 1st
    assert days[date(2024, 3, 2)] == (1, 1)
    assert days[date(2024, 3, 3)] == (0, 0)
    assert days[date(2024, 3, 10)] == (1, 1)
    weeks = [(period.start, period.total, period.fell_back) for period in overview.per_week]
    assert weeks == [(date(2024, 2, 26), 3, 1), (date(2024, 3, 4), 4, 1)]  # the 10th is a Sunday


def test_splits_biggest_first(engine) -> None:
    overview = stats.overview(engine, MARCH)
    assert [(c.name, c.total, c.fell_back) for c in overview.topics] == [
        ("child_found", 3, 0), ("(no topic)", 2, 2), ("child_missing", 2, 0)]
    assert [c.value for c in overview.topics] == ["child_found", None, "child_missing"]
    assert [(c.name, c.total) for c in overview.channels] == [("rest", 4), ("teams", 2), ("socketio", 1)]
    assert [(c.name, c.value, c.total) for c in overview.roles] == [
        ("police", "police", 5), ("(not given)", ROLE_NOT_GIVEN, 1), ("social_worker", "social_worker", 1)]
    assert [(c.name, c.total, c.helpful, c.unhelpful) for c in overview.partnerships] == [
        ("pan_cheshire", 5, 2, 1), ("bscb", 2, 0, 1)]


@pytest.mark.parametrize("narrowed, total", [
    ({"channel": "teams"}, 2),
    ({"role": ROLE_NOT_GIVEN}, 1),
    ({"role": "police"}, 5),
    ({"partnership": "bscb"}, 2),
    ({"since": date(2024, 3, 4), "until": date(2024, 3, 4)}, 3),
    ({"channel": "nowhere"}, 0),
])
def test_filters_narrow_every_figure(engine, narrowed, total) -> None:
    used = Filter(**({"since": MARCH.since, "until": MARCH.until} | narrowed))
    overview = stats.overview(engine, used)
    assert overview.totals.total == total
    assert sum(period.total for period in overview.per_day) == total
    assert sum(c.total for c in overview.channels) == total


def test_an_empty_period(engine) -> None:
    overview = stats.overview(engine, Filter(date(2030, 1, 1), date(2030, 1, 2)))
    assert overview.totals.total == 0 and overview.totals.fallback_rate is None
    assert overview.totals.helpful_rate is None and overview.topics == []


def test_topic_detail(engine) -> None:
    detail = stats.topic_detail(engine, MARCH, "child_found")
    assert (detail.totals.total, detail.totals.helpful, detail.totals.unhelpful) == (3, 1, 1)
    # typed questions only, newest first, the same question once
    assert [example.text for example in detail.examples] == ["Found him, what next?"]
    assert [(c.name, c.total) for c in detail.roles] == [("police", 2), ("social_worker", 1)]
    assert sum(period.total for period in detail.per_day) == 3


def test_options_list_what_the_log_holds(engine) -> None:
    assert stats.options(engine) == {"channel": ["rest", "socketio", "teams"], "role": ["police", "social_worker"],
                                     "partnership": ["bscb", "pan_cheshire"]}


def test_utc_day_whatever_the_session_time_zone(engine) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET TIME ZONE 'Asia/Tokyo'"))
        days = connection.execute(
            select(queries.utc_day(query_log.c.created_at)).where(query_log.c.message_id.in_(["m2", "m7"]))
            .order_by(query_log.c.id)
        ).scalars().all()
    assert days == ["2024-03-01", "2024-03-10"]


def test_unanswered_includes_misroutes_and_leaves_out_buttons_and_walkthrough_replies(engine, database_url) -> None:
    april = Filter(since=date(2024, 4, 1), until=date(2024, 4, 30))
    QueryLog(database_url).record([
        row(101, datetime(2024, 4, 2, 9, tzinfo=timezone.utc), rephrased=True),  # listed: misroute
        row(102, datetime(2024, 4, 2, 10, tzinfo=timezone.utc), topic=None, fell_back=True, did_you_mean="refused"),
        row(103, datetime(2024, 4, 2, 11, tzinfo=timezone.utc), topic=None, fell_back=True, did_you_mean="chosen",
            chosen_topic="child_found"),  # listed: fell back
        row(104, datetime(2024, 4, 2, 12, tzinfo=timezone.utc), fell_back=True, is_button=True),  # a button
        row(105, datetime(2024, 4, 2, 13, tzinfo=timezone.utc), topic="missing_walkthrough_form", rephrased=True),
        row(106, datetime(2024, 4, 2, 14, tzinfo=timezone.utc), topic="found_walkthrough_form", fell_back=True),
        row(107, datetime(2024, 4, 2, 15, tzinfo=timezone.utc), topic="missing_walkthrough_form", helpful=False),
        row(108, datetime(2024, 4, 2, 16, tzinfo=timezone.utc)),  # answered, nothing said: not listed
    ])
    overview = stats.overview(engine, april)
    assert (overview.totals.total, overview.unanswered, overview.misroutes) == (8, 4, 2)
    listed = [record.message_id for record in queries.records(engine, april.rows(unanswered=True))]
    assert listed == ["m101", "m102", "m103", "m106"]
