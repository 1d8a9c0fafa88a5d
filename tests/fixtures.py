"""Fixtures and helpers that every test package shares, registered once as a plugin by tests/conftest.py.

Databases: `database_url` (migrated to head) and `empty_database_url` (no tables) are each a new database
on SQLite (a temporary file) and on a real PostgreSQL, created for one test and dropped after it;
`engine` is the migrated one's engine, `sqlite_url` a migrated SQLite database for SQLite-only tests.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Generic, Iterator, List, TypeVar

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

from bot.db import migrate
from bot.db.engine import dispose_engines, engine_for
from bot.supervisor import free_port

if TYPE_CHECKING:
    from rasa_sdk import Tracker

__all__ = ["Clock", "axe_script", "free_port", "tracker_for"]

# the maintenance database of the server the test databases are created on
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# the Redis server of the lock store and cluster tests (keys of their own, deleted after them)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
BACKENDS = ["sqlite", "postgresql"]

T = TypeVar("T")


class Clock(Generic[T]):
    """A clock that only moves when the test moves it: pass it where code takes a clock, add to `now`."""

    def __init__(self, start: T) -> None:
        self.now = start

    def __call__(self) -> T:
        return self.now


def tracker_for(intent: str, *, entities: List[Dict[str, Any]] | None = None, slots: Dict[str, Any] | None = None,
                text: str = "x", sender: str = "practitioner-1",
                events: List[Dict[str, Any]] | None = None) -> Tracker:
    """A tracker as the action server receives it: `intent` is the latest message's, right after action_listen."""
    from rasa_sdk import Tracker  # here, so that the public tier's environment (no rasa_sdk) can load this plugin

    message = {"intent": {"name": intent, "confidence": 1.0}, "entities": entities or [], "text": text}
    return Tracker(sender, slots or {}, message, events or [], False, None, {}, "action_listen")


def axe_script() -> Path:
    """axe-core, for the accessibility checks of the browser tests."""
    path = Path(__file__).resolve().parents[1] / "bot" / "web" / "node_modules" / "axe-core" / "axe.min.js"
    assert path.is_file(), "axe-core missing: run `make web-assets`"
    return path


def _first_line(error: OperationalError) -> str:
    return str(error.orig).strip().splitlines()[0]


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """A connection to the PostgreSQL server's maintenance database; skips the test if there is no server."""
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 3})
    try:
        with admin.connect():
            pass
    except OperationalError as error:
        reason = _first_line(error)
    else:
        reason = None
    if reason:  # reported outside the except block, so without the driver's traceback
        admin.dispose()
        server = make_url(POSTGRES_ADMIN_URL)
        message = (f"PostgreSQL is unreachable at {server.host}:{server.port} as {server.username} ({reason}). "
                   "Start it with `pg_ctlcluster 15 main start` or `service postgresql start` (.ci/run does), "
                   "or point TEST_POSTGRES_URL at another server's `postgres` database.")
        if os.environ.get("CI"):  # CI must run the PostgreSQL variants, not skip them
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield admin
    admin.dispose()


@pytest.fixture(scope="session")
def redis_server() -> str:
    """TEST_REDIS_URL, once it answers; skips the test if it does not (fails under CI, which must run it)."""
    import redis  # the Rasa runtime's; asked for only by tests that run there

    client = redis.StrictRedis.from_url(TEST_REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
        reason = None
    except redis.RedisError as error:
        reason = str(error)
    finally:
        client.close()
    if reason:
        message = (f"Redis is unreachable at {TEST_REDIS_URL} ({reason}). Start it (`redis-server --daemonize yes`; "
                   ".ci/run does), or point TEST_REDIS_URL at another server.")
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return TEST_REDIS_URL


@contextlib.contextmanager
def new_postgres_database(admin: Engine, prefix: str = "test") -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards; existing data is never touched."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def postgres_database(postgres_admin: Engine) -> Iterator[str]:
    with new_postgres_database(postgres_admin) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new database with no tables on the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'database.db'}"
    else:
        # asked for by name, so that SQLite-only runs never need the server
        yield request.getfixturevalue("postgres_database")
    dispose_engines()


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """A new database on the backend under test, migrated to head."""
    migrate.upgrade(empty_database_url)
    return empty_database_url


@pytest.fixture
def engine(database_url: str) -> Engine:
    return engine_for(database_url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A SQLite database in a temporary file, migrated to head."""
    url = f"sqlite:///{tmp_path / 'querylog.db'}"
    migrate.upgrade(url)
    yield url
    dispose_engines()
