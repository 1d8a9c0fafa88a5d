from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.querylog.export import COLUMNS, export


@pytest.fixture
def days(log, make_record) -> list:
    """One record just before, at the start of, at the end of, and just after 2 to 3 January 2024."""
    day = datetime(2024, 1, 2, tzinfo=timezone.utc)
    records = [
        make_record(message_id="last-of-3rd", created_at=day + timedelta(days=2) - timedelta(microseconds=1)),
        make_record(message_id="start-of-2nd", created_at=day),
        make_record(message_id="after", created_at=day + timedelta(days=2)),
        make_record(message_id="before", created_at=day - timedelta(seconds=1), helpful=True, topic=None),
    ]
    log.record(records)
    return records


def test_jsonl_is_oldest_first_and_complete(log, days) -> None:
    out = io.StringIO()
    assert export(log, "jsonl", out) == 4
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["message_id"] for row in rows] == ["before", "start-of-2nd", "last-of-3rd", "after"]
    assert rows[0] == days[3].to_dict()
    assert rows[0]["created_at"] == "2024-01-01T23:59:59+00:00"


def test_jsonl_date_filter_includes_the_whole_until_day(log, days) -> None:
    out = io.StringIO()
    assert export(log, "jsonl", out, since=date(2024, 1, 2), until=date(2024, 1, 3)) == 2
    assert [json.loads(line)["message_id"] for line in out.getvalue().splitlines()] == ["start-of-2nd", "last-of-3rd"]


def test_csv_has_a_header_ordering_and_date_filter(log, days) -> None:
    out = io.StringIO()
    assert export(log, "csv", out, since=date(2024, 1, 2)) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == COLUMNS
    assert [row["message_id"] for row in rows] == ["start-of-2nd", "last-of-3rd", "after"]
    assert rows[0]["created_at"] == "2024-01-02T00:00:00+00:00"
    assert rows[0]["fell_back"] == "False" and rows[0]["helpful"] == ""

    out = io.StringIO()
    assert export(log, "csv", out, until=date(2024, 1, 1)) == 1
    assert [row["message_id"] for row in csv.DictReader(io.StringIO(out.getvalue()))] == ["before"]


def test_csv_neutralises_spreadsheet_formulas(log, make_record) -> None:
    log.record([make_record(text='=HYPERLINK("http://x","click")'), make_record(text="multi\nline, \"quoted\"")])
    out = io.StringIO()
    export(log, "csv", out)
    texts = [row["text"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    assert texts == ['\'=HYPERLINK("http://x","click")', 'multi\nline, "quoted"']


def test_unknown_format(log) -> None:
    with pytest.raises(ValueError, match="jsonl, csv"):
        export(log, "xml", io.StringIO())


def test_the_runner_up_and_signals_are_exported_raw(log, make_record) -> None:
    log.record([make_record(message_id="misroute", intent="child_found", confidence=0.52,
                            runner_up_intent="child_missing", runner_up_confidence=0.3, topic="child_found",
                            rephrased=True),
                make_record(message_id="refused", intent="escalation", confidence=0.31, fell_back=True, topic=None,
                            did_you_mean="refused")])
    assert {"runner_up_intent", "runner_up_confidence", "did_you_mean", "chosen_topic", "rephrased"} <= set(COLUMNS)
    out = io.StringIO()
    export(log, "csv", out)
    rows = {row["message_id"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows["misroute"]["runner_up_intent"], rows["misroute"]["runner_up_confidence"],
            rows["misroute"]["rephrased"]) == ("child_missing", "0.3", "True")
    assert (rows["refused"]["did_you_mean"], rows["refused"]["chosen_topic"], rows["refused"]["rephrased"]) == (
        "refused", "", "")
    out = io.StringIO()
    export(log, "jsonl", out)
    first = json.loads(out.getvalue().splitlines()[0])
    assert (first["topic"], first["runner_up_intent"], first["rephrased"]) == ("child_found", "child_missing", True)
