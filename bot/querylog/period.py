"""Dates and durations typed on the command line, and the UTC times they stand for."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Tuple

_DURATION = re.compile(r"(\d+)\s*([dwy]?)")
_DAYS_PER_UNIT = {"": 1, "d": 1, "w": 7, "y": 365}


class PeriodError(ValueError):
    """A date or duration the user typed that cannot be understood."""


def parse_date(value: str, option: str = "date") -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(f"{option}: {value!r} is not a date (expected YYYY-MM-DD, e.g. 2024-03-31)") from None


def parse_duration(value: str, option: str = "duration") -> timedelta:
    """'365d', '52w', '1y' (365 days) or a bare number of days; at least one day."""
    match = _DURATION.fullmatch(value.strip().lower())
    if not match:
        raise PeriodError(f"{option}: {value!r} is not a duration (expected e.g. 365d, 52w or 1y)")
    days = int(match.group(1)) * _DAYS_PER_UNIT[match.group(2)]
    if days < 1:
        raise PeriodError(f"{option}: {value!r} must be at least one day")
    return timedelta(days=days)


def day_bounds(since: date | None, until: date | None) -> Tuple[datetime | None, datetime | None]:
    """[start of since, end of until) in UTC: until includes the whole of that day."""
    if since and until and since > until:
        raise PeriodError(f"--since {since} is after --until {until}")
    start = datetime.combine(since, time(), timezone.utc) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), timezone.utc) if until else None
    return start, end


def describe(since: date | None, until: date | None) -> str:
    if since and until:
        return f"{since} to {until} (UTC)"
    if since:
        return f"since {since} (UTC)"
    if until:
        return f"up to {until} (UTC)"
    return "all time"
