from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.querylog.period import PeriodError, day_bounds, parse_date, parse_duration


@pytest.mark.parametrize(
    "text, days", [("365d", 365), ("365", 365), ("2w", 14), ("1y", 365), (" 30D ", 30)]
)
def test_durations(text, days) -> None:
    assert parse_duration(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["", "d", "5x", "-5d", "1.5d", "0d", "1 year"])
def test_bad_durations(text) -> None:
    with pytest.raises(PeriodError):
        parse_duration(text)


def test_dates_and_day_bounds() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    with pytest.raises(PeriodError, match="YYYY-MM-DD"):
        parse_date("29/02/2024", "--since")
    start, end = day_bounds(date(2024, 1, 2), date(2024, 1, 3))
    assert start == datetime(2024, 1, 2, tzinfo=timezone.utc)
    assert end == datetime(2024, 1, 4, tzinfo=timezone.utc)  # exclusive: all of the 3rd is in
    assert day_bounds(None, None) == (None, None)
    with pytest.raises(PeriodError, match="after"):
        day_bounds(date(2024, 1, 3), date(2024, 1, 2))
