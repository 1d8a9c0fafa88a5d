"""Training classes for the scenario quiz: classes create|list|results|close."""
from __future__ import annotations

import argparse
import sys

from bot.cli.querylog import _open_query_log, _querylog_command


def _classes():  # noqa: ANN202 - imports SQLAlchemy lazily
    from bot.quiz.classes import Classes

    _open_query_log()  # refuses, with what to do, if the database has no tables yet
    return Classes()


def _guarded(run):  # noqa: ANN001, ANN202
    """Database problems as one line on stderr (exit 1), like the query-log commands; so is a bad code."""

    @_querylog_command
    def guarded(args: argparse.Namespace) -> int:
        from bot.quiz.classes import ClassError

        try:
            return run(args)
        except ClassError as error:
            print(f"python -m bot classes {args.classes_command}: error: {error}", file=sys.stderr)
            return 1

    return guarded


@_guarded
def _create(args: argparse.Namespace) -> int:
    created = _classes().create(args.name)
    print(created.code)
    label = f' "{created.name}"' if created.name else ""
    print(f'Class{label} created. Trainees type "join class {created.code}", then "quiz me".', file=sys.stderr)
    return 0


@_guarded
def _list(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from bot.db.tables import quiz_answers

    classes = _classes()
    found = classes.list()
    with classes.engine.connect() as connection:
        counts = dict(connection.execute(
            select(quiz_answers.c.class_code, func.count(func.distinct(quiz_answers.c.participant)))
            .group_by(quiz_answers.c.class_code)).all())
    if not found:
        print("No classes yet: python -m bot classes create --name \"Session 12 Nov\"")
    for quiz_class in found:
        state = "open" if quiz_class.is_open else f"closed {quiz_class.closed_at:%Y-%m-%d %H:%M}"
        print(f"{quiz_class.code}  {quiz_class.created_at:%Y-%m-%d %H:%M}  {state:<22}"
              f"{counts.get(quiz_class.code, 0):>3} participants  {quiz_class.name or ''}".rstrip())
    return 0


@_guarded
def _results(args: argparse.Namespace) -> int:
    from bot.content import scenarios
    from bot.quiz import results
    from bot.quiz.classes import ClassError
    from bot.quiz.codes import normalise

    code = normalise(args.code)
    if code is None:
        raise ClassError(f"{args.code!r} is not a class code (6 letters and digits)")
    found = results.class_results(code, scenarios.load(), _classes())
    text = results.as_csv(found) if args.format == "csv" else results.as_text(found) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        print(f"Wrote results of class {code} to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


@_guarded
def _close(args: argparse.Namespace) -> int:
    closed = _classes().close(args.code)
    print(f"Class {closed.code} closed at {closed.closed_at:%Y-%m-%d %H:%M} UTC: no more answers are stored for it.")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    classes = commands.add_parser("classes", help="training classes for the scenario quiz (trainers)")
    sub = classes.add_subparsers(dest="classes_command", required=True)

    create = sub.add_parser("create", help="create a class and print its 6-character code")
    create.add_argument("--name", help='a label for the trainer, e.g. "Session 12 Nov" (no trainee names)')
    create.set_defaults(run=_create)

    listing = sub.add_parser("list", help="every class, oldest first")
    listing.set_defaults(run=_list)

    results = sub.add_parser("results", help="per-scenario %% correct and the most common wrong answers")
    results.add_argument("code")
    results.add_argument("--format", choices=["text", "csv"], default="text")
    results.add_argument("--out", help="write to this file instead of stdout")
    results.set_defaults(run=_results)

    close = sub.add_parser("close", help="stop storing answers for a class")
    close.add_argument("code")
    close.set_defaults(run=_close)
