from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest
import yaml
from sqlalchemy import text

from bot.db import migrate
from bot.db.engine import dispose_engines, engine_for
from bot.quiz.classes import Classes
from tests.querylog.conftest import postgres_database  # noqa: F401 - the shared PostgreSQL test database

GOOD_SCENARIO = {
    "id": "sample_case",
    "title": "A sample case",
    "situation": "A child comes back after a night missing.",
    "question": "What happens next?",
    "choices": [
        {"text": "A return interview within 72 hours", "correct": True},
        {"text": "Nothing", "feedback": "A return home interview is offered every time."},
        {"text": "A letter home"},
    ],
    "explanation": "Offered within 72 hours. Provider: {{contact:return_interview_provider}}.",
    "sources": ["dfe_2014", "local:missing_protocol"],
    "reviewed": "2026-11-22",
}


@pytest.fixture
def scenario_file(tmp_path: Path) -> Callable[..., Path]:
    """Writes scenarios (dicts) to a YAML file and returns its path."""

    def write(*scenarios: dict, name: str = "scenarios.yml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump({"scenarios": list(scenarios)}, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch) -> Iterator[str]:
    """A migrated SQLite query-log database, also as DATABASE_URL, with its own pseudonym key."""
    url = f"sqlite:///{tmp_path / 'querylog.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PSEUDONYM_SECRET", "test-secret")
    from bot.privacy import pseudonym

    pseudonym._key.cache_clear()
    migrate.upgrade(url)
    yield url
    dispose_engines()
    pseudonym._key.cache_clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def classes(request, db_url: str) -> Iterator[Classes]:
    """The class store on SQLite and on a real PostgreSQL (as the query log tests)."""
    if request.param == "sqlite":
        yield Classes(db_url)
        return
    url = request.getfixturevalue("postgres_database")
    with engine_for(url).begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(url)
    yield Classes(url)
    dispose_engines()
