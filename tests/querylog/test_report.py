from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.querylog.report import render, report, summarise


@pytest.fixture
def dataset(log, make_record) -> None:
    """Five queries on 1 March 2024 and one on 5 March."""
    log.record(
        [
            make_record(topic="child_missing", channel="rest", practitioner_role="police", helpful=True),
            make_record(topic="child_missing", channel="rest", practitioner_role="police", helpful=True),
            make_record(topic="missing_walkthrough_form", channel="socketio", practitioner_role="social_worker",
                        is_button=True, helpful=False),
            make_record(topic=None, intent="nlu_fallback", fell_back=True, channel="rest", practitioner_role=None),
            make_record(topic=None, intent="nlu_fallback", fell_back=True, channel="socketio", practitioner_role=None),
            make_record(topic="philomena_protocol", created_at=datetime(2024, 3, 5, 9, tzinfo=timezone.utc)),
        ]
    )


def test_summary_numbers(log, dataset) -> None:
    summary = summarise(log.rows(*_march_1st()))
    assert summary.total == 5
    assert summary.fell_back == 2
    assert summary.buttons == 1
    assert summary.topics == {"child_missing": 2, "(none)": 2, "missing_walkthrough_form": 1}
    assert summary.channels == {"rest": 3, "socketio": 2}
    assert summary.roles == {"police": 2, "(not given)": 2, "social_worker": 1}
    assert summary.helpfulness == {"helpful": 2, "not helpful": 1, "no feedback": 2}


def test_report_text_for_a_date_range(log, dataset) -> None:
    text = report(log, since=date(2024, 3, 1), until=date(2024, 3, 1))
    lines = text.splitlines()
    assert lines[0] == "Query log, 2024-03-01 to 2024-03-01 (UTC): 5 queries"
    assert "Fallback rate: 2 of 5 (40.0%)" in lines
    assert "Button presses: 1 of 5 (20.0%)" in lines
    assert _row(lines, "child_missing") == ["child_missing", "2", "40.0%"]
    assert _row(lines, "missing_walkthrough_form") == ["missing_walkthrough_form", "1", "20.0%"]
    assert _row(lines, "socketio") == ["socketio", "2", "40.0%"]
    assert _row(lines, "social_worker") == ["social_worker", "1", "20.0%"]
    assert _row(lines, "not helpful") == ["not", "helpful", "1", "20.0%"]
    assert _row(lines, "no feedback") == ["no", "feedback", "2", "40.0%"]
    assert "philomena_protocol" not in text


def test_report_over_all_time_and_top_topics(log, dataset) -> None:
    text = report(log, top=2)
    assert text.startswith("Query log, all time: 6 queries")
    assert _row(text.splitlines(), "(other 2 topics)") == ["(other", "2", "topics)", "2", "33.3%"]


def test_an_empty_period(log) -> None:
    assert report(log, since=date(2030, 1, 1)) == "Query log, since 2030-01-01 (UTC): 0 queries.\n"
    assert render(summarise([])) == "Query log, all time: 0 queries.\n"


def _march_1st() -> tuple:
    return datetime(2024, 3, 1, tzinfo=timezone.utc), datetime(2024, 3, 2, tzinfo=timezone.utc)


def _row(lines: list, label: str) -> list:
    return next(line.split() for line in lines if line.startswith(label + " "))
