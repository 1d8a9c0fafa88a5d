"""The one CSV writer: every export a person opens in a spreadsheet goes through it."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Sequence

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Practitioners' and trainers' text is untrusted: quote anything a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(out: io.TextIOBase | Any, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Writes a header and rows, every cell made formula-safe. Returns how many rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        count += 1
    return count


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    write_csv(out, header, rows)
    return out.getvalue()
