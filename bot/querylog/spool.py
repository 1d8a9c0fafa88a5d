"""DurableQueryLog: a QueryLog that keeps records in a spool file while the database is unavailable.

The spool is JSON lines, shared by every process of the assistant and guarded by a lock file.
Each line is one of
    {"kind": "record", "record": {...}}
    {"kind": "feedback", "message_id": ..., "helpful": ..., "spooled_at": ...}
    {"kind": "signal", "message_id": ..., "values": {"rephrased": true, ...}, "spooled_at": ...}
Records written before a field was added still load (the field takes its default), and a signal's
values name only the columns it sets. Feedback and signals are updates of a row: they are replayed
after every record, in spool order. Replaying is idempotent (message_id is unique, updates set fixed
values), so a crash between the database commit and the spool's removal only means some lines are
replayed twice.
"""
from __future__ import annotations

import json
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Iterator, List, Sequence, Tuple, Union

import portalocker
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from bot import settings
from bot.querylog.records import QueryRecord, Signal, parse_timestamp
from bot.querylog.store import QueryLog

logger = logging.getLogger(__name__)

DEFAULT_SPOOL = Path(settings.QUERYLOG_SPOOL.default)
LOCK_TIMEOUT_S = 60
# OperationalError and InterfaceError (connection refused, database file unreadable, server gone)
# are DBAPIErrors, and so is a missing table before `python -m bot db upgrade`: spool on all of them.
UNAVAILABLE = (DBAPIError, PoolTimeoutError, ConnectionError)
# The database is up but refuses the row; replaying it again would fail forever.
REFUSED = (IntegrityError, DataError)


@dataclass(frozen=True)
class Feedback:
    message_id: str
    helpful: bool
    spooled_at: datetime


@dataclass(frozen=True)
class SpooledSignal:
    signal: Signal
    spooled_at: datetime


Update = Union[Feedback, SpooledSignal]  # of a row that may not be in the database yet
Entry = Union[QueryRecord, Feedback, SpooledSignal]


class DurableQueryLog:
    def __init__(
        self,
        log: QueryLog,
        spool_path: Path = DEFAULT_SPOOL,
        batch_size: int = 500,
        feedback_ttl: timedelta = timedelta(days=1),
    ) -> None:
        """feedback_ttl: how long spooled feedback and signals wait for their record before being set aside."""
        self.log = log
        self.spool_path = Path(spool_path)
        self.rejected_path = self.spool_path.with_name(self.spool_path.name + ".rejected")
        self.batch_size = batch_size
        self.feedback_ttl = feedback_ttl
        self._lock_path = self.spool_path.with_name(self.spool_path.name + ".lock")

    def record(self, records: Iterable[QueryRecord]) -> int:
        """Writes the records, or spools them if the database fails; never loses one, never raises a
        database error. Replays the spool first, unless another process is doing so.

        Returns how many rows were inserted into the database now (0 when spooled).
        """
        records = list(records)
        try:
            self.flush(wait=False)
            return self.log.record(records)
        except UNAVAILABLE as error:
            if records:
                self._append(records)
                logger.warning("Query log write failed (%s): spooled %d records", _describe(error), len(records))
            return 0

    def set_feedback(self, message_id: str, helpful: bool) -> bool:
        """True if applied now; False if spooled until the database is back or the record arrives."""
        try:
            self.flush(wait=False)
            if self.log.set_feedback(message_id, helpful):
                return True
        except UNAVAILABLE as error:
            logger.warning("Query log write failed (%s): spooled feedback", _describe(error))
        self._append([Feedback(message_id, helpful, datetime.now(timezone.utc))])
        return False

    def mark(self, signal: Signal) -> bool:
        """Sets a signal on its row, as set_feedback does: True if applied now; False if spooled until the
        database is back or the record arrives."""
        try:
            self.flush(wait=False)
            if self.log.mark(signal):
                return True
        except UNAVAILABLE as error:
            logger.warning("Query log write failed (%s): spooled a signal", _describe(error))
        self._append([SpooledSignal(signal, datetime.now(timezone.utc))])
        return False

    def flush(self, wait: bool = True) -> int:
        """Replays the spool: every record in spool order, then every update (feedback, signal) in spool order.

        Returns how many entries took effect (new rows, updates applied). If the database fails
        midway, what was not yet committed stays in the spool and the error is raised. With
        wait=False, returns 0 at once if another process is replaying the spool.
        """
        if not self._spool_has_data():
            return 0
        try:
            with self._locked(wait):
                return self._replay()
        except portalocker.AlreadyLocked:
            return 0

    def _replay(self) -> int:
        entries, unreadable = self._read()
        records = [entry for entry in entries if isinstance(entry, QueryRecord)]
        updates = [entry for entry in entries if not isinstance(entry, QueryRecord)]
        # Records go in batches; each update on its own, after every record it may refer to.
        size = self.batch_size
        steps: List[List[Entry]] = [records[i : i + size] for i in range(0, len(records), size)]
        steps += [[entry] for entry in updates]
        applied, waiting = 0, []
        for done, step in enumerate(steps):
            try:
                if not isinstance(step[0], QueryRecord):
                    applied += self._apply_update(step[0], waiting)
                else:
                    applied += self._insert(step)
            except UNAVAILABLE:
                # If nothing was applied the spool is left as it is, not rewritten on every message
                # of an outage.
                if done or unreadable:
                    self._rewrite(waiting + [entry for rest in steps[done:] for entry in rest])
                raise
        self._rewrite(waiting)
        return applied

    def _insert(self, records: Sequence[QueryRecord]) -> int:
        try:
            return self.log.record(records)
        except REFUSED:
            # One bad row must not hold back the whole spool: retry one by one, set aside the refused.
            inserted = 0
            for record in records:
                try:
                    inserted += self.log.record([record])
                except REFUSED as error:
                    self._set_aside([_dump(record)], f"refused by the database ({_describe(error)})")
            return inserted

    def _apply_update(self, update: Update, waiting: List[Entry]) -> int:
        if isinstance(update, Feedback):
            applied, what = self.log.set_feedback(update.message_id, update.helpful), "feedback"
        else:
            applied, what = self.log.mark(update.signal), "signal"
        if applied:
            return 1
        if datetime.now(timezone.utc) - update.spooled_at > self.feedback_ttl:
            self._set_aside([_dump(update)], f"{what} whose record never arrived")
        else:
            waiting.append(update)
        return 0

    def _spool_has_data(self) -> bool:
        try:
            return self.spool_path.stat().st_size > 0
        except FileNotFoundError:
            return False

    @contextmanager
    def _locked(self, wait: bool = True) -> Iterator[None]:
        # A separate lock file, because the spool itself is replaced and removed under the lock.
        self.spool_path.parent.mkdir(parents=True, exist_ok=True)
        with portalocker.Lock(str(self._lock_path), "a", timeout=LOCK_TIMEOUT_S, fail_when_locked=not wait):
            yield

    def _append(self, entries: Sequence[Entry]) -> None:
        with self._locked():
            _append_lines(self.spool_path, [_dump(entry) for entry in entries])

    def _read(self) -> Tuple[List[Entry], bool]:
        """The spool's entries, and whether unreadable lines were set aside."""
        try:
            lines = self.spool_path.read_bytes().splitlines()
        except FileNotFoundError:
            return [], False
        entries, unreadable = [], []
        for line in filter(bytes.strip, lines):
            try:
                entries.append(_load(line.decode("utf-8")))
            except (ValueError, KeyError, TypeError, AttributeError):
                unreadable.append(line.decode("utf-8", errors="replace"))
        if unreadable:
            self._set_aside(unreadable, "unreadable spool lines (e.g. cut short by a crash)")
        return entries, bool(unreadable)

    def _rewrite(self, entries: Sequence[Entry]) -> None:
        if not entries:
            self.spool_path.unlink(missing_ok=True)
            return
        partial = self.spool_path.with_name(self.spool_path.name + ".tmp")
        partial.unlink(missing_ok=True)
        _append_lines(partial, [_dump(entry) for entry in entries])
        os.replace(partial, self.spool_path)
        _fsync_directory(self.spool_path.parent)

    def _set_aside(self, lines: List[str], reason: str) -> None:
        _append_lines(self.rejected_path, lines)
        logger.error("Query log: %d %s; kept in %s", len(lines), reason, self.rejected_path)


def _append_lines(path: Path, lines: Sequence[str]) -> None:
    """Appends lines durably (flush + fsync). The file is readable by its owner only."""
    created = not path.exists()
    with os.fdopen(os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600), "a+b") as spool:
        size = spool.seek(0, os.SEEK_END)
        if size:
            # A crash mid-append can leave a last line without its newline; don't glue onto it.
            spool.seek(size - 1)
            if spool.read(1) != b"\n":
                lines = ["", *lines]
        spool.write("".join(line + "\n" for line in lines).encode("utf-8"))
        spool.flush()
        os.fsync(spool.fileno())
    if created:
        _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # Makes a new or renamed file's directory entry survive a power cut too (POSIX only).
    if os.name == "posix":
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _dump(entry: Entry) -> str:
    if isinstance(entry, QueryRecord):
        return json.dumps({"kind": "record", "record": entry.to_dict()}, ensure_ascii=False)
    if isinstance(entry, SpooledSignal):
        return json.dumps(
            {
                "kind": "signal",
                "message_id": entry.signal.message_id,
                "values": entry.signal.values(),
                "spooled_at": entry.spooled_at.isoformat(),
            },
            ensure_ascii=False,
        )
    return json.dumps(
        {
            "kind": "feedback",
            "message_id": entry.message_id,
            "helpful": entry.helpful,
            "spooled_at": entry.spooled_at.isoformat(),
        }
    )


def _load(line: str) -> Entry:
    data = json.loads(line)
    if data["kind"] == "record":
        return QueryRecord.from_dict(data["record"])
    if data["kind"] == "feedback":
        return Feedback(str(data["message_id"]), bool(data["helpful"]), parse_timestamp(data["spooled_at"]))
    if data["kind"] == "signal":
        signal = Signal.from_values(str(data["message_id"]), data["values"])
        return SpooledSignal(signal, parse_timestamp(data["spooled_at"]))
    raise ValueError(f"unknown spool entry kind {data['kind']!r}")


def _describe(error: Exception) -> str:
    # The driver's message, not SQLAlchemy's, which would quote the statement's parameters
    # (practitioners' text) into the logs.
    message = str(getattr(error, "orig", None) or error).strip().splitlines()
    return f"{type(error).__name__}: {message[0] if message else ''}"
