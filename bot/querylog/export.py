"""Exports the query log as JSON lines or CSV, oldest first."""
from __future__ import annotations

import csv
import json
from dataclasses import fields
from datetime import date
from typing import Any, TextIO

from bot.querylog.period import day_bounds
from bot.querylog.records import QueryRecord
from bot.querylog.store import QueryLog

FORMATS = ("jsonl", "csv")
COLUMNS = [field.name for field in fields(QueryRecord)]
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export(
    log: QueryLog, fmt: str, out: TextIO, since: date | None = None, until: date | None = None
) -> int:
    """Writes the rows created from the start of since to the end of until (UTC days). Returns how many."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    count = 0
    for record in log.rows(*day_bounds(since, until)):
        if writer:
            writer.writerow({key: csv_cell(value) for key, value in record.to_dict().items()})
        else:
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def csv_cell(value: Any) -> Any:
    """Practitioners' text is untrusted: quote anything a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
