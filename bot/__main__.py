"""Command line: python -m bot build | build-spacy | validate | serve | nlu-report."""
from __future__ import annotations

import argparse
import functools
import os
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, Tuple

from bot import settings

if TYPE_CHECKING:
    from bot.querylog.store import QueryLog


def _build(args: argparse.Namespace) -> int:
    from bot.content.build import build

    out = build(args.partnership)
    print(f"Built Rasa domain and data for {args.partnership} in {out}")
    return 0


def _build_spacy(args: argparse.Namespace) -> int:
    from bot.nlu import spacy_pipeline

    path = spacy_pipeline.save(Path(args.out))
    print(f"Saved spaCy pipeline to {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from bot.content import partnership
    from bot.content.validate import validate

    pack_ids = partnership.available() if args.all else [args.partnership]
    failed = False
    unset_total = 0
    for name, report in validate(pack_ids).items():
        for error in report.errors:
            print(f"ERROR {name}: {error}")
        if report.unset:
            print(f"{name}: {len(report.unset)} local values not set up (answers say so honestly):")
            for value in report.unset:
                print(f"  - {value}")
        failed = failed or bool(report.errors)
        unset_total += len(report.unset)
    if failed:
        print("Validation failed.")
        return 1
    print(f"Content valid. {unset_total} local values not set up.")
    return 1 if args.strict and unset_total else 0


def _rasa_warnings(args: argparse.Namespace) -> int:
    from bot.content.validate import unexpected_rasa_warnings

    warnings = unexpected_rasa_warnings(Path(args.log).read_text(encoding="utf-8"))
    for warning in warnings:
        print(f"WARNING: {warning}")
    print(f"rasa data validate: {len(warnings)} warnings")
    return 1 if warnings else 0


def _serve(args: argparse.Namespace) -> int:
    from bot.serve import serve

    return serve(Path(args.model), args.port, args.actions_port)


def _nlu_report(args: argparse.Namespace) -> int:
    from bot.nlu.report import print_report

    return print_report(Path(args.report), args.target)


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
    from bot.querylog import migrate
    from bot.querylog.database import database_url, shown
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
    from bot.querylog import migrate
    from bot.querylog.database import database_url, shown

    url = database_url()
    migrate.upgrade(url)
    print(f"Query log database {shown(url)} is at revision {migrate.current(url)} (latest).")
    return 0


@_querylog_command
def _db_current(args: argparse.Namespace) -> int:
    from bot.querylog import migrate
    from bot.querylog.database import database_url, shown

    url = database_url()
    revision, head = migrate.current(url), migrate.head()
    state = "latest" if revision == head else f"latest is {head}: run `python -m bot db upgrade`"
    print(f"Query log database {shown(url)} is at revision {revision or 'none'} ({state}).")
    return 0


def _retention_from_env() -> timedelta:
    from bot.querylog.period import parse_duration

    return parse_duration(os.environ.get("QUERYLOG_RETENTION_DAYS", "").strip() or "365", "QUERYLOG_RETENTION_DAYS")


@_querylog_command
def _purge(args: argparse.Namespace) -> int:
    from bot.querylog.period import parse_duration

    older_than = parse_duration(args.older_than, "--older-than") if args.older_than else _retention_from_env()
    removed = _open_query_log().purge(older_than)
    # The tracker store purge (purge_tracker_store) belongs here too; it comes with the privacy work.
    print(f"Removed {removed} query log rows older than {older_than.days} days.")
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
    from bot.querylog.report import report

    since, until = _date_range(args)
    print(report(_open_query_log(), since, until, args.top), end="")
    return 0


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="render domain responses and rules for a partnership")
    build.add_argument("--partnership", default=settings.partnership_id())
    build.set_defaults(run=_build)

    spacy = commands.add_parser("build-spacy", help="build the project's spaCy pipeline")
    spacy.add_argument("--out", default=str(settings.BUILD_DIR / "spacy" / "en_safeguarding"))
    spacy.set_defaults(run=_build_spacy)

    validate = commands.add_parser("validate", help="check content; list local values not set up")
    validate.add_argument("--partnership", default=settings.partnership_id())
    validate.add_argument("--all", action="store_true", help="every partnership pack")
    validate.add_argument("--strict", action="store_true", help="fail if any local value is unset")
    validate.set_defaults(run=_validate)

    warnings = commands.add_parser("rasa-warnings", help="fail on warnings in a rasa data validate log")
    warnings.add_argument("log")
    warnings.set_defaults(run=_rasa_warnings)

    serve = commands.add_parser("serve", help="start the action server and the Rasa server")
    serve.add_argument("--model", default=f"models/{settings.partnership_id()}.tar.gz")
    serve.add_argument("--port", type=int, default=5005)
    serve.add_argument("--actions-port", type=int, default=5055)
    serve.set_defaults(run=_serve)

    report = commands.add_parser("nlu-report", help="per-intent F1 and macro F1 from rasa test nlu")
    report.add_argument("report", help="results/intent_report.json")
    report.add_argument("--target", type=float, default=0.90)
    report.set_defaults(run=_nlu_report)

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
    querylog_report.add_argument("--top", type=int, default=10, help="how many topics to list")
    querylog_report.set_defaults(run=_querylog_report)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
