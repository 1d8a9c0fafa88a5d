"""Where the database is and how engines are made, on SQLite and on a real PostgreSQL."""
from __future__ import annotations

from sqlalchemy import text

from bot import settings
from bot.db import engine as database
from bot.db.engine import database_url, engine_for


def test_database_url_from_env_or_sqlite_in_var(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example:5432/q")
    assert database_url() == "postgresql://u@db.example:5432/q"
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path / "var")
    assert database_url() == f"sqlite:///{tmp_path / 'var' / 'querylog.db'}"
    assert (tmp_path / "var").is_dir()


def test_engines_are_cached_per_url(empty_database_url) -> None:
    assert engine_for(empty_database_url) is engine_for(empty_database_url)


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path) -> None:
    with engine_for(f"sqlite:///{tmp_path / 'q.db'}").connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() == database.SQLITE_BUSY_TIMEOUT_MS


def test_postgresql_pings_and_times_out_connections(request) -> None:
    engine = engine_for(request.getfixturevalue("postgres_database"))
    assert engine.pool._pre_ping
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
