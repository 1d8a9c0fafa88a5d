from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy.dialects import sqlite

from bot.review import filters
from bot.review.filters import Filter, FilterError

TODAY = date(2024, 3, 15)


def test_the_default_is_the_last_30_days() -> None:
    assert filters.parse({}, TODAY) == Filter(since=date(2024, 2, 15), until=TODAY)
    assert filters.parse({"since": "", "channel": "  "}, TODAY) == Filter(since=date(2024, 2, 15), until=TODAY)


def test_a_full_filter_and_its_query_parameters() -> None:
    params = {"since": "2024-03-01", "until": "2024-03-31", "channel": "teams", "role": "social_care",
              "partnership": "pan_cheshire"}
    used = filters.parse(params, TODAY)
    assert used == Filter(date(2024, 3, 1), date(2024, 3, 31), "teams", "social_care", "pan_cheshire")
    assert used.query() == params
    assert filters.parse(used.query(), TODAY) == used
    assert used.bounds() == (datetime(2024, 3, 1, tzinfo=timezone.utc), datetime(2024, 4, 1, tzinfo=timezone.utc))
    assert len(used.days()) == 31
    # described in plain words; the query parameters above keep the raw values
    assert used.describe() == ("1 Mar 2024 to 31 Mar 2024 (UTC), channel Microsoft Teams, role Children's social care, "
                               "partnership West Cheshire Local Safeguarding Children Board")
    assert Filter(date(2024, 3, 1), date(2024, 3, 1), "socketio", "_none", "no_such_pack").describe() == (
        "1 Mar 2024 to 1 Mar 2024 (UTC), channel Web chat, no role given, partnership no such pack")


@pytest.mark.parametrize("params, message", [
    ({"since": "2024-13-01"}, "“From” must be a date like 2024-03-31, not “2024-13-01”."),
    ({"until": "yesterday"}, "“To” must be a date like 2024-03-31, not “yesterday”."),
    ({"since": "2024-03-10", "until": "2024-03-01"}, "is after the “to” date"),
    ({"since": "2020-01-01", "until": "2024-03-01"}, "longer than"),
    ({"since": "1066-10-14"}, "between 2000 and 2100"),
    ({"until": "9999-12-31"}, "between 2000 and 2100"),
    ({"channel": "<script>"}, "The channel “<script>” is not one the query log can hold."),
    ({"role": "x" * 65}, "The role"),
    ({"partnership": "a b"}, "The partnership"),
])
def test_bad_input_is_a_clear_error(params, message) -> None:
    with pytest.raises(FilterError) as raised:
        filters.parse(params, TODAY)
    assert message in " ".join(raised.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(FilterError) as raised:
        filters.parse({"since": "x", "until": "y", "channel": "!"}, TODAY)
    assert len(raised.value.problems) == 3


def test_role_not_given_filters_on_no_role() -> None:
    used = filters.parse({"role": filters.ROLE_NOT_GIVEN}, TODAY)
    sql = str(used.rows().where().compile(dialect=sqlite.dialect()))
    assert "query_log.practitioner_role IS NULL" in sql
    assert used.describe().endswith("no role given")


def test_topic_names_and_presets() -> None:
    assert filters.check_topic("child_missing") == "child_missing"
    for bad in ("../etc", "a b", "", "x" * 101):
        with pytest.raises(FilterError):
            filters.check_topic(bad)
    presets = {label: (since, until) for label, since, until in filters.presets(TODAY)}
    assert presets["This month"] == (date(2024, 3, 1), TODAY)
    assert presets["Last month"] == (date(2024, 2, 1), date(2024, 2, 29))
