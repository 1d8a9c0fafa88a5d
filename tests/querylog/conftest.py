"""The query log's fixtures; each database test runs on SQLite and on a real PostgreSQL (tests/fixtures.py)."""
from __future__ import annotations

from datetime import timedelta
from typing import Callable

import pytest

from bot.querylog.records import QueryRecord
from bot.querylog.store import QueryLog
from tests.querylog.helpers import T0


@pytest.fixture
def unreachable_url(backend, tmp_path) -> str:
    """A database of the same kind that cannot be reached."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'querylog.db'}"
    return "postgresql://postgres@127.0.0.1:1/test"  # nothing listens on port 1


@pytest.fixture
def log(database_url) -> QueryLog:
    return QueryLog(database_url)


@pytest.fixture
def make_record() -> Callable[..., QueryRecord]:
    counter = iter(range(1_000_000))

    def make(**fields) -> QueryRecord:
        n = next(counter)
        values = dict(
            message_id=f"msg-{n}",
            created_at=T0 + timedelta(minutes=n),
            channel="rest",
            sender="a1b2c3",
            partnership="pan_cheshire",
            practitioner_role="police",
            text=f"who do I tell when a child goes missing? ({n})",
            intent="child_missing",
            confidence=0.93,
            topic="child_missing",
            fell_back=False,
            is_button=False,
        )
        return QueryRecord(**(values | fields))

    return make
