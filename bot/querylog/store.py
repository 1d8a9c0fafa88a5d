"""QueryLog: writes and reads the query_log table. Database errors propagate to the caller."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, Iterable, Iterator

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.db.compat import counted
from bot.db.engine import database_url, engine_for
from bot.db.tables import query_log
from bot.querylog import queries
from bot.querylog.queries import QueryFilter
from bot.querylog.records import MAX_TEXT_LENGTH, QueryRecord, Signal

# Dialects whose INSERT ... ON CONFLICT DO NOTHING makes a repeated message_id a no-op.
_INSERTS: Dict[str, Callable[..., Any]] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
# Rows per INSERT statement; 18 columns x 50 stays under SQLite's oldest limit of 999 parameters.
_ROWS_PER_STATEMENT = 50


class QueryLog:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self.engine = engine_for(self.url)
        dialect = self.engine.dialect.name
        if dialect not in _INSERTS:
            raise ValueError(f"the query log supports SQLite and PostgreSQL, not {dialect}")
        self._insert = _INSERTS[dialect]

    def record(self, records: Iterable[QueryRecord]) -> int:
        """Inserts the records in one transaction, skipping message ids already logged.

        Returns how many rows were newly inserted.
        """
        rows = [_to_row(record) for record in records]
        if not rows:
            return 0
        inserted = 0
        with self.engine.begin() as connection:
            for start in range(0, len(rows), _ROWS_PER_STATEMENT):
                statement = (
                    self._insert(query_log)
                    .values(rows[start : start + _ROWS_PER_STATEMENT])
                    .on_conflict_do_nothing(index_elements=["message_id"])
                )
                inserted += connection.execute(counted(statement)).rowcount
        return inserted

    def set_feedback(self, message_id: str, helpful: bool) -> bool:
        """Records whether the answer helped. False if no row has that message id."""
        statement = update(query_log).where(query_log.c.message_id == message_id).values(helpful=helpful)
        with self.engine.begin() as connection:
            return connection.execute(statement).rowcount > 0

    def mark(self, signal: Signal) -> bool:
        """Sets a signal's columns on its row (idempotent). False if no row has that message id."""
        statement = update(query_log).where(query_log.c.message_id == signal.message_id).values(**signal.values())
        with self.engine.begin() as connection:
            return connection.execute(statement).rowcount > 0

    def purge(self, older_than: timedelta, now: datetime | None = None) -> int:
        """Deletes rows created strictly before now - older_than. Returns how many."""
        if older_than < timedelta(0):
            raise ValueError(f"older_than must not be negative, got {older_than}")
        cutoff = (now or datetime.now(timezone.utc)) - older_than
        with self.engine.begin() as connection:
            return connection.execute(delete(query_log).where(query_log.c.created_at < cutoff)).rowcount

    def rows(self, since: datetime | None = None, until: datetime | None = None) -> Iterator[QueryRecord]:
        """Records with since <= created_at < until, oldest first, streamed."""
        return queries.records(self.engine, QueryFilter(since=since, until=until))

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(query_log)).scalar_one()


def _to_row(record: QueryRecord) -> Dict[str, Any]:
    return record.to_dict() | {"created_at": record.created_at, "text": record.text[:MAX_TEXT_LENGTH]}

