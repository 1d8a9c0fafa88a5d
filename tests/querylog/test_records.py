from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from bot.querylog.records import QueryRecord


def test_round_trips_through_json(make_record) -> None:
    record = make_record(practitioner_role=None, intent=None, confidence=None, topic=None, helpful=False)
    data = json.loads(json.dumps(record.to_dict()))
    assert data["created_at"] == "2024-03-01T12:00:00+00:00"
    assert QueryRecord.from_dict(data) == record


def test_times_are_normalised_to_utc_and_naive_times_refused(make_record) -> None:
    bst = timezone(timedelta(hours=1))
    record = make_record(created_at=datetime(2024, 6, 1, 10, 0, tzinfo=bst))
    assert record.created_at == datetime(2024, 6, 1, 9, 0, tzinfo=timezone.utc)
    assert record.created_at.utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="timezone-aware"):
        make_record(created_at=datetime(2024, 6, 1, 10, 0))


def test_from_dict_accepts_z_and_ignores_unknown_keys(make_record) -> None:
    data = make_record().to_dict() | {"created_at": "2024-03-01T12:00:00Z", "added_later": 1}
    assert QueryRecord.from_dict(data).created_at == datetime(2024, 3, 1, 12, tzinfo=timezone.utc)
