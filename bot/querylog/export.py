"""Exports the query log as JSON lines or CSV, oldest first."""
from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from typing import Iterable, TextIO

from bot.db.csv_file import write_csv
from bot.querylog.period import day_bounds
from bot.querylog.records import QueryRecord
from bot.querylog.store import QueryLog

FORMATS = ("jsonl", "csv")
COLUMNS = [field.name for field in fields(QueryRecord)]


def export(
    log: QueryLog, fmt: str, out: TextIO, since: date | None = None, until: date | None = None
) -> int:
    """Writes the rows created from the start of since to the end of until (UTC days). Returns how many."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    records = log.rows(*day_bounds(since, until))
    if fmt == "csv":
        return write_csv_records(out, records)
    count = 0
    for record in records:
        out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv_records(out: TextIO, records: Iterable[QueryRecord]) -> int:
    """Query-log records as CSV, one column per record field: the command line's and the dashboard's export."""
    return write_csv(out, COLUMNS, ([record.to_dict()[name] for name in COLUMNS] for record in records))
