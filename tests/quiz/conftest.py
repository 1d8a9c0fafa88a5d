"""The quiz's fixtures: scenario files, and the class store on SQLite and a real PostgreSQL (tests/fixtures.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest
import yaml

from bot.privacy import pseudonym
from bot.quiz.classes import Classes


@pytest.fixture
def scenario_file(tmp_path: Path) -> Callable[..., Path]:
    """Writes scenarios (dicts) to a YAML file and returns its path."""

    def write(*scenarios: dict, name: str = "scenarios.yml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump({"scenarios": list(scenarios)}, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def db_url(sqlite_url: str, monkeypatch) -> Iterator[str]:
    """A migrated SQLite query-log database, also as DATABASE_URL, with its own pseudonym key."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("PSEUDONYM_SECRET", "test-secret")
    pseudonym._key.cache_clear()
    yield sqlite_url
    pseudonym._key.cache_clear()


@pytest.fixture
def classes(database_url: str, db_url: str) -> Classes:
    """The class store on SQLite and on a real PostgreSQL, with db_url's pseudonym key."""
    return Classes(database_url)
