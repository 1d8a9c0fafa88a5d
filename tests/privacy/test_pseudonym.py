from __future__ import annotations

from pathlib import Path

import pytest

from bot.privacy import pseudonym


@pytest.fixture(autouse=True)
def fresh_key(monkeypatch, tmp_path: Path) -> Path:
    key_file = tmp_path / "key"
    monkeypatch.delenv("PSEUDONYM_SECRET", raising=False)
    monkeypatch.setenv("PSEUDONYM_KEY_FILE", str(key_file))
    pseudonym._key.cache_clear()
    yield key_file
    pseudonym._key.cache_clear()


def test_same_sender_same_pseudonym_and_no_trace_of_the_id(fresh_key: Path) -> None:
    first = pseudonym.pseudonymise("teams:29:1AbC-jane.doe@council.gov.uk")
    assert first == pseudonym.pseudonymise("teams:29:1AbC-jane.doe@council.gov.uk")
    assert first != pseudonym.pseudonymise("someone-else")
    assert "jane" not in first and pseudonym.is_pseudonym(first)


def test_key_is_generated_once_and_private(fresh_key: Path) -> None:
    pseudonym.pseudonymise("x")
    assert fresh_key.exists() and (fresh_key.stat().st_mode & 0o777) == 0o600
    key = fresh_key.read_bytes()
    pseudonym._key.cache_clear()
    pseudonym.pseudonymise("x")
    assert fresh_key.read_bytes() == key


def test_secret_from_environment_wins(monkeypatch) -> None:
    monkeypatch.setenv("PSEUDONYM_SECRET", "one")
    a = pseudonym.pseudonymise("sender")
    pseudonym._key.cache_clear()
    monkeypatch.setenv("PSEUDONYM_SECRET", "two")
    assert pseudonym.pseudonymise("sender") != a


def test_pseudonyms_are_not_hashed_twice() -> None:
    once = pseudonym.pseudonymise("sender")
    assert pseudonym.pseudonymise(once) == once
