from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from typing import Iterator

import pytest

from bot.__main__ import main
from bot.db import migrate
from bot.db.engine import dispose_engines
from bot.querylog.store import QueryLog


@pytest.fixture
def url(tmp_path, monkeypatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'querylog.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("QUERYLOG_RETENTION_DAYS", raising=False)
    yield url
    dispose_engines()


@pytest.fixture
def seeded(url, capsys, make_record) -> list:
    assert main(["db", "upgrade"]) == 0
    now = datetime.now(timezone.utc)
    records = [
        make_record(message_id="old", created_at=now - timedelta(days=400), topic="child_found"),
        make_record(message_id="mid", created_at=now - timedelta(days=100), fell_back=True),
        make_record(message_id="recent", created_at=now - timedelta(days=10)),
    ]
    QueryLog(url).record(records)
    capsys.readouterr()
    return records


def test_db_upgrade_and_current(url, capsys) -> None:
    head = migrate.head()
    assert main(["db", "current"]) == 0
    assert f"at revision none (latest is {head}: run `python -m bot db upgrade`)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert f"is at revision {head} (latest)" in capsys.readouterr().out
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out == f"Query log database {url} is at revision {head} (latest).\n"


def test_export_jsonl_to_stdout(seeded, capsys) -> None:
    assert main(["export", "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["message_id"] for line in captured.out.splitlines()] == ["old", "mid", "recent"]
    assert captured.err == "Exported 3 rows.\n"


def test_export_csv_to_a_file_with_dates(seeded, tmp_path) -> None:
    out, day = tmp_path / "export.csv", _day(seeded[1])
    assert main(["export", "--format", "csv", "--since", day, "--until", day, "--out", str(out)]) == 0
    with open(out, encoding="utf-8", newline="") as file:
        assert [row["message_id"] for row in csv.DictReader(file)] == ["mid"]


def test_report(seeded, capsys) -> None:
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Query log, all time: 3 queries")
    assert "Fallback rate: 1 of 3 (33.3%)" in out
    day = _day(seeded[1])
    assert main(["report", "--since", day, "--until", day]) == 0
    assert capsys.readouterr().out.startswith(f"Query log, {day} to {day} (UTC): 1 queries")


def test_purge_defaults_to_a_year(seeded, url, capsys) -> None:
    assert main(["purge"]) == 0
    assert capsys.readouterr().out == "Removed 1 query log rows and 0 tracker store events older than 365 days.\n"
    assert [row.message_id for row in QueryLog(url).rows()] == ["mid", "recent"]


def test_purge_older_than_and_retention_from_the_environment(seeded, url, capsys, monkeypatch) -> None:
    monkeypatch.setenv("QUERYLOG_RETENTION_DAYS", "30")
    assert main(["purge"]) == 0
    assert capsys.readouterr().out == "Removed 2 query log rows and 0 tracker store events older than 30 days.\n"
    assert main(["purge", "--older-than", "1w"]) == 0
    assert capsys.readouterr().out == "Removed 1 query log rows and 0 tracker store events older than 7 days.\n"
    assert QueryLog(url).count() == 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["export", "--format", "csv", "--since", "2024-13-01"], "--since: '2024-13-01' is not a date"),
        (["report", "--until", "yesterday"], "--until: 'yesterday' is not a date"),
        (["report", "--since", "2024-02-01", "--until", "2024-01-01"], "--since 2024-02-01 is after --until"),
        (["purge", "--older-than", "5x"], "--older-than: '5x' is not a duration"),
        (["purge", "--older-than", "0d"], "must be at least one day"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(seeded, capsys, argv, message) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"python -m bot {argv[0]}: error: ") and message in captured.err


def test_a_bad_retention_setting_exits_2(seeded, capsys, monkeypatch) -> None:
    monkeypatch.setenv("QUERYLOG_RETENTION_DAYS", "forever")
    assert main(["purge"]) == 2
    assert "QUERYLOG_RETENTION_DAYS: 'forever' is not a duration" in capsys.readouterr().err


def test_an_unknown_format_is_refused_by_argparse(url) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--format", "xml"])
    assert exit_.value.code == 2


def test_a_database_without_tables_says_to_upgrade(url, capsys) -> None:
    assert main(["report"]) == 1
    assert "has no tables yet: run `python -m bot db upgrade`" in capsys.readouterr().err


def test_an_unreachable_database_is_one_line(monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres:secret@127.0.0.1:1/test")
    assert main(["export", "--format", "jsonl"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Connection refused" in err and "secret" not in err


def _day(record) -> str:
    return record.created_at.date().isoformat()
