"""Every database test runs on SQLite (a temporary file) and on a real PostgreSQL.

PostgreSQL: a database qlog_<random> is created for the test run through the `postgres` database
and dropped at the end, so existing data is never touched. Each test starts from an empty schema.
"""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.db import migrate
from bot.db.engine import dispose_engines, engine_for
from bot.querylog.records import QueryRecord
from bot.querylog.store import QueryLog

POSTGRES_URL = os.environ.get("QUERYLOG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
_pg = make_url(POSTGRES_URL)
POSTGRES_REQUIRED = (
    f"PostgreSQL at {_pg.host}:{_pg.port} is required for the query log tests (user {_pg.username}, trust auth; "
    "another server: set QUERYLOG_TEST_POSTGRES_URL). Start it with e.g. `pg_ctlcluster 15 main start` "
    "or `service postgresql start` (.ci/run starts it), then re-run."
)
T0 = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    admin = create_engine(
        make_url(POSTGRES_URL).set(database="postgres"),
        future=True,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    name = f"qlog_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0]
    else:
        reason = None
    if reason:  # failing outside the except block keeps the driver's traceback out of the message
        admin.dispose()
        pytest.fail(f"{POSTGRES_REQUIRED}\n({reason})", pytrace=False)
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, tmp_path, request) -> Iterator[str]:
    """An empty database (no tables) on the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'querylog.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
        with engine_for(url).begin() as connection:
            # every table of every migration, whatever later migrations add
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        yield url
    dispose_engines()


@pytest.fixture
def unreachable_url(backend, tmp_path) -> str:
    """A database of the same kind that cannot be reached."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'querylog.db'}"
    return "postgresql://postgres@127.0.0.1:1/test"  # nothing listens on port 1


@pytest.fixture
def log(db_url) -> QueryLog:
    migrate.upgrade(db_url)
    return QueryLog(db_url)


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
