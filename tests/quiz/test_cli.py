"""python -m bot classes ..., as a trainer runs it, against an isolated database."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

from bot import settings
from bot.content import scenarios
from bot.quiz.classes import Classes


@pytest.fixture
def env(tmp_path) -> dict:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'querylog.db'}",
            "PSEUDONYM_KEY_FILE": str(tmp_path / "pseudonym.key"), "RASA_TELEMETRY_ENABLED": "false"}


def bot(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=settings.ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_classes_need_the_database_upgraded_first(env) -> None:
    done = bot(env, "classes", "list")
    assert done.returncode == 1 and "run `python -m bot db upgrade`" in done.stderr


def test_create_list_results_close(env) -> None:
    assert bot(env, "db", "upgrade").returncode == 0
    created = bot(env, "classes", "create", "--name", "Session 12 Nov")
    assert created.returncode == 0, created.stderr
    code = created.stdout.strip()
    assert len(code) == 6 and f'"join class {code}"' in created.stderr

    url = env["DATABASE_URL"]
    classes = Classes(url)
    by_id = scenarios.by_id(scenarios.load())
    for participant, letter in (("a", "b"), ("b", "a"), ("c", "a")):
        classes.record_answer(code, participant, "out_of_area_return", letter,
                              letter == by_id["out_of_area_return"].correct_letter)

    listed = bot(env, "classes", "list")
    assert code in listed.stdout and "open" in listed.stdout and "3 participants" in listed.stdout
    assert "Session 12 Nov" in listed.stdout

    text = bot(env, "classes", "results", code.lower())
    assert text.returncode == 0, text.stderr
    assert "33.3% correct (1 of 3); answer B" in text.stdout and "wrong A: 2 x" in text.stdout

    as_csv = bot(env, "classes", "results", code, "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert (row["scenario_id"], row["answered"], row["percent_correct"]) == ("out_of_area_return", "3", "33.3")

    closed = bot(env, "classes", "close", code)
    assert closed.returncode == 0 and "closed" in closed.stdout
    assert "closed" in bot(env, "classes", "list").stdout


def test_unknown_and_malformed_codes(env) -> None:
    assert bot(env, "db", "upgrade").returncode == 0
    unknown = bot(env, "classes", "results", "ZZZZ99")
    assert unknown.returncode == 1 and "no class with code ZZZZ99" in unknown.stderr
    malformed = bot(env, "classes", "results", "hello")
    assert malformed.returncode == 1 and "is not a class code" in malformed.stderr
    assert bot(env, "classes", "close", "ZZZZ99").returncode == 1
