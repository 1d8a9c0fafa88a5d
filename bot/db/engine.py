"""Which database the project uses (DATABASE_URL, else SQLite in var/), and one engine per database URL."""
from __future__ import annotations

import threading
from typing import Any, Dict

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

from bot import settings

SQLITE_BUSY_TIMEOUT_MS = 10_000
POSTGRES_CONNECT_TIMEOUT_S = 3

_engines: Dict[str, Engine] = {}
_engines_lock = threading.Lock()


def database_url() -> str:
    """DATABASE_URL, else a SQLite file in var/ (created if missing)."""
    url = settings.DATABASE_URL.get()
    if url:
        return url
    settings.VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{settings.VAR_DIR / 'querylog.db'}"


def engine_for(url: str) -> Engine:
    """The engine for url, created once per process. Creating it does not connect."""
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _create_engine(url)
        return engine


def dispose_engines() -> None:
    """Closes every pooled connection and forgets the engines (tests, shutdown)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def shown(url: str) -> str:
    """url with any password masked, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def _create_engine(url: str) -> Engine:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url, future=True)
        event.listen(engine, "connect", configure_sqlite)
        return engine
    if backend == "postgresql":
        return create_engine(
            url, future=True, pool_pre_ping=True, connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
        )
    return create_engine(url, future=True)


def configure_sqlite(dbapi_connection: Any, _connection_record: Any) -> None:
    # WAL lets the bot write while an export reads; the busy timeout makes concurrent writers from
    # several processes wait their turn instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # With WAL, NORMAL survives any crash of the application; only a power cut can lose the last commits.
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()
