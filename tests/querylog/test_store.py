"""The query log store on SQLite and on a real PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import DBAPIError

from bot.querylog.records import MAX_TEXT_LENGTH
from bot.querylog.store import QueryLog
from tests.querylog.helpers import T0


def test_records_round_trip(log, make_record) -> None:
    records = [make_record(), make_record(practitioner_role=None, intent=None, confidence=None, topic=None)]
    assert log.record(records) == 2
    assert list(log.rows()) == records
    assert all(row.created_at.tzinfo == timezone.utc for row in log.rows())


def test_the_same_message_is_logged_once(log, make_record) -> None:
    record = make_record()
    assert log.record([record, record]) == 1
    assert log.record([record]) == 0
    assert log.record([make_record(message_id=record.message_id, text="a retry")]) == 0
    assert log.count() == 1
    assert next(log.rows()).text == record.text


def test_many_records_in_one_call(log, make_record) -> None:
    records = [make_record() for _ in range(137)]  # several INSERT statements
    assert log.record(records) == 137
    assert log.record(records + [make_record()]) == 1
    assert log.count() == 138


def test_text_is_capped(log, make_record) -> None:
    long, exact = make_record(text="é" * (MAX_TEXT_LENGTH + 500)), make_record(text="x" * MAX_TEXT_LENGTH)
    log.record([long, exact])
    stored = {row.message_id: row.text for row in log.rows()}
    assert stored[long.message_id] == "é" * MAX_TEXT_LENGTH
    assert stored[exact.message_id] == exact.text


def test_times_from_other_zones_are_stored_as_utc(log, make_record) -> None:
    bst = timezone(timedelta(hours=1))
    log.record([make_record(created_at=datetime(2024, 6, 1, 0, 30, tzinfo=bst))])
    assert next(log.rows()).created_at == datetime(2024, 5, 31, 23, 30, tzinfo=timezone.utc)
    since = datetime(2024, 5, 31, 23, 30, tzinfo=timezone.utc)
    assert len(list(log.rows(since=since))) == 1
    assert list(log.rows(since=since + timedelta(microseconds=1))) == []


def test_feedback(log, make_record) -> None:
    record = make_record()
    log.record([record])
    assert log.set_feedback(record.message_id, True)
    assert next(log.rows()).helpful is True
    assert log.set_feedback(record.message_id, False)
    assert next(log.rows()).helpful is False
    assert not log.set_feedback("no-such-message", True)


def test_purge_removes_only_rows_strictly_older(log, make_record) -> None:
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    year = timedelta(days=365)
    older = make_record(created_at=now - year - timedelta(microseconds=1))
    boundary = make_record(created_at=now - year)
    newer = make_record(created_at=now - year + timedelta(seconds=1))
    log.record([older, boundary, newer])
    assert log.purge(year, now=now) == 1
    assert [row.message_id for row in log.rows()] == [boundary.message_id, newer.message_id]
    assert log.purge(year, now=now) == 0
    assert log.purge(timedelta(0), now=now) == 2
    assert log.count() == 0
    with pytest.raises(ValueError):
        log.purge(timedelta(days=-1))


def test_purge_defaults_to_now(log, make_record) -> None:
    log.record([make_record(created_at=datetime.now(timezone.utc) - timedelta(days=2)), make_record()])
    assert log.purge(timedelta(days=1)) == 2  # T0 is in 2024


def test_rows_are_oldest_first_with_since_inclusive_and_until_exclusive(log, make_record) -> None:
    late, early, middle = (make_record(created_at=T0 + timedelta(hours=h)) for h in (2, 0, 1))
    log.record([late, early, middle])
    assert list(log.rows()) == [early, middle, late]
    assert list(log.rows(since=middle.created_at)) == [middle, late]
    assert list(log.rows(until=middle.created_at)) == [early]
    assert list(log.rows(since=early.created_at, until=late.created_at)) == [early, middle]


def test_nothing_to_record_does_not_touch_the_database(unreachable_url) -> None:
    assert QueryLog(unreachable_url).record([]) == 0


def test_database_errors_propagate(unreachable_url, make_record) -> None:
    log = QueryLog(unreachable_url)
    with pytest.raises(DBAPIError):
        log.record([make_record()])
    with pytest.raises(DBAPIError):
        log.count()


def test_an_unmigrated_database_is_an_error(empty_database_url, make_record) -> None:
    with pytest.raises(DBAPIError):
        QueryLog(empty_database_url).record([make_record()])
