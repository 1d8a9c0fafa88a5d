"""Query log commands: db upgrade|current, purge, export, report (text, or HTML for the board)."""
from __future__ import annotations

import argparse
import functools
import sys
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING, Callable, Tuple

from bot import settings

if TYPE_CHECKING:
    from bot.querylog.store import QueryLog


class _QueryLogError(Exception):
    """A query log command cannot go ahead; the message says what to do."""


def _querylog_command(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """One line on stderr instead of a traceback: exit 2 for a bad date or duration, 1 if the database fails."""

    @functools.wraps(run)
    def guarded(args: argparse.Namespace) -> int:
        from sqlalchemy.exc import SQLAlchemyError

        from bot.querylog.period import PeriodError

        try:
            return run(args)
        except PeriodError as error:
            print(f"python -m bot {args.command}: error: {error}", file=sys.stderr)
            return 2
        except (_QueryLogError, SQLAlchemyError, OSError) as error:
            message = str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__]
            print(f"python -m bot {args.command}: error: {message[0]}", file=sys.stderr)
            return 1

    return guarded


def _open_query_log() -> QueryLog:
    from bot.db import migrate
    from bot.db.engine import database_url, shown
    from bot.querylog.store import QueryLog

    url = database_url()
    if migrate.current(url) is None:
        raise _QueryLogError(f"the query log database {shown(url)} has no tables yet: run `python -m bot db upgrade`")
    return QueryLog(url)


def _date_range(args: argparse.Namespace) -> Tuple[date | None, date | None]:
    from bot.querylog.period import day_bounds, parse_date

    since = parse_date(args.since, "--since") if args.since else None
    until = parse_date(args.until, "--until") if args.until else None
    day_bounds(since, until)  # rejects --since after --until
    return since, until


@_querylog_command
def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.db.engine import database_url, shown

    url = database_url()
    migrate.upgrade(url)
    print(f"Query log database {shown(url)} is at revision {migrate.current(url)} (latest).")
    return 0


@_querylog_command
def _db_current(args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.db.engine import database_url, shown

    url = database_url()
    revision, head = migrate.current(url), migrate.head()
    state = "latest" if revision == head else f"latest is {head}: run `python -m bot db upgrade`"
    print(f"Query log database {shown(url)} is at revision {revision or 'none'} ({state}).")
    return 0


def _retention_from_env() -> timedelta:
    from bot.querylog.period import parse_duration

    return parse_duration(settings.QUERYLOG_RETENTION_DAYS.get(), settings.QUERYLOG_RETENTION_DAYS.name)


@_querylog_command
def _purge(args: argparse.Namespace) -> int:
    from bot.querylog.period import parse_duration

    older_than = parse_duration(args.older_than, "--older-than") if args.older_than else _retention_from_env()
    removed = _open_query_log().purge(older_than)
    events = _tracker_store().purge(time.time() - older_than.total_seconds())
    print(f"Removed {removed} query log rows and {events} tracker store events older than {older_than.days} days.")
    return 0


def _tracker_store():  # noqa: ANN202 - imports Rasa lazily
    from bot.privacy.tracker_store import RedactingTrackerStore

    return RedactingTrackerStore(wait_for_database=False)


@_querylog_command
def _backfill(args: argparse.Namespace) -> int:
    from bot.querylog.backfill import backfill

    written = backfill(_tracker_store(), _open_query_log(), settings.partnership_id())
    print(f"Backfill: {written.rows} rows written, {written.feedback} feedback answers and {written.signals} "
          f"signals applied, from {written.conversations} conversations (rows already logged are skipped).")
    return 0


@_querylog_command
def _export(args: argparse.Namespace) -> int:
    from bot.querylog.export import export

    since, until = _date_range(args)
    log = _open_query_log()
    if args.out is None:
        count = export(log, args.format, sys.stdout, since, until)
    else:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            count = export(log, args.format, out, since, until)
    print(f"Exported {count} rows.", file=sys.stderr)
    return 0


@_querylog_command
def _querylog_report(args: argparse.Namespace) -> int:
    since, until = _date_range(args)
    if args.format == "html":
        return _html_report(args, since, until)
    from bot.querylog.report import report

    if args.out:
        raise _QueryLogError("--out is for --format html; the text report goes to standard output")
    print(report(_open_query_log(), since, until, args.top), end="")
    return 0


def _html_report(args: argparse.Namespace, since: date | None, until: date | None) -> int:
    """The board report (bot/review/html_report.py), recorded in the dashboard's audit trail."""
    from datetime import datetime, timezone

    from sqlalchemy.exc import SQLAlchemyError

    from bot.review import html_report, permissions
    from bot.review.audit import AuditTrail, command_line_actor
    from bot.review.filters import FilterError

    log = _open_query_log()
    try:
        period = html_report.period(since, until, datetime.now(timezone.utc).date())
    except FilterError as error:
        raise _QueryLogError(str(error)) from None
    page = html_report.build(log.engine, period)
    try:  # recorded before the report leaves: no export goes unrecorded
        AuditTrail(log.url).record(command_line_actor(), permissions.EXPORT_HTML, period.audit())
    except SQLAlchemyError as error:
        raise _QueryLogError("the export cannot be recorded in the audit trail; "
                             "run `python -m bot db upgrade`") from error
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(page)
    else:
        sys.stdout.write(page)
    if args.out:
        print(f"Board report for {period.describe()} written to {args.out}.", file=sys.stderr)
    return 0



def register(commands: argparse._SubParsersAction) -> None:
    backfill = commands.add_parser("backfill", help="rebuild query log rows missed while the action server was down")
    backfill.set_defaults(run=_backfill)

    db = commands.add_parser("db", help="query log database: apply migrations, show the revision")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="migrate DATABASE_URL (default var/querylog.db) to the latest")
    upgrade.set_defaults(run=_db_upgrade)
    current = db_commands.add_parser("current", help="show the database's migration revision")
    current.set_defaults(run=_db_current)

    purge = commands.add_parser("purge", help="delete query log rows older than the retention period")
    purge.add_argument(
        "--older-than", help="e.g. 365d, 52w, 1y (default: QUERYLOG_RETENTION_DAYS, else 365 days)"
    )
    purge.set_defaults(run=_purge)

    export = commands.add_parser("export", help="export the query log, oldest first")
    export.add_argument("--format", required=True, choices=("jsonl", "csv"))
    export.add_argument("--since", help="first day included, YYYY-MM-DD (UTC)")
    export.add_argument("--until", help="last day included, YYYY-MM-DD (UTC)")
    export.add_argument("--out", help="file to write (default: standard output)")
    export.set_defaults(run=_export)

    querylog_report = commands.add_parser("report", help="query log summary: topics, fallbacks, roles, feedback")
    querylog_report.add_argument("--since", help="first day included, YYYY-MM-DD (UTC)")
    querylog_report.add_argument("--until", help="last day included, YYYY-MM-DD (UTC)")
    querylog_report.add_argument("--top", type=int, default=10, help="how many topics to list (text)")
    querylog_report.add_argument(
        "--format", choices=("text", "html"), default="text",
        help="text tables (default), or a self-contained HTML report with charts for board papers",
    )
    querylog_report.add_argument("--out", help="file for the HTML report (default: standard output)")
    querylog_report.set_defaults(run=_querylog_report)
