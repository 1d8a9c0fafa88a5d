from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from bot.querylog.records import CHOSEN, REFUSED, QueryRecord, Signal


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


def test_a_record_written_before_the_runner_up_and_signals_still_loads(make_record) -> None:
    data = make_record(intent="nlu_fallback", confidence=0.4, fell_back=True).to_dict()
    for added in ("runner_up_intent", "runner_up_confidence", "did_you_mean", "chosen_topic", "rephrased"):
        del data[added]
    record = QueryRecord.from_dict(data)
    assert (record.runner_up_intent, record.runner_up_confidence, record.did_you_mean, record.chosen_topic,
            record.rephrased) == (None, None, None, None, None)
    assert record.fell_back and record.helpful is None


def test_signals_set_only_what_they_say() -> None:
    assert Signal("m1", rephrased=True).values() == {"rephrased": True}
    assert Signal("m1", did_you_mean=CHOSEN, chosen_topic="child_found").values() == {
        "did_you_mean": "chosen", "chosen_topic": "child_found"}
    assert Signal.from_values("m1", {"did_you_mean": REFUSED, "set_by_a_newer_version": 1}) == Signal(
        "m1", did_you_mean="refused")
    with pytest.raises(ValueError, match="did_you_mean"):
        Signal("m1", did_you_mean="maybe")
    with pytest.raises(ValueError, match="must set something"):
        Signal("m1")
