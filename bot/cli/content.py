"""Content commands: build, build-spacy, validate, rasa-warnings, nlu-report."""
from __future__ import annotations

import argparse
from pathlib import Path

from bot import settings


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
    from bot.content import partnership, topics
    from bot.content.validate import Report, validate
    from bot.quiz import validate as quiz_validate

    pack_ids = partnership.available() if args.all else [args.partnership]
    try:
        catalogue = topics.load()
    except Exception as error:  # a broken topic file is reported, not raised
        results = {"catalogue": Report(errors=[str(error)])}
    else:
        results = validate(pack_ids, catalogue)
        results["scenarios"] = Report(errors=quiz_validate.check(pack_ids, catalogue))
    failed = False
    unset_total = warning_total = 0
    for name, report in results.items():
        for error in report.errors:
            print(f"ERROR {name}: {error}")
        for warning in report.warnings:
            print(f"WARNING {name}: {warning}")
        if report.unset:
            print(f"{name}: {len(report.unset)} local values not set up (`python -m bot pack check {name}`"
                  " says what each affects):")
            for value in report.unset:
                print(f"  - {value}")
        failed = failed or bool(report.errors)
        unset_total += len(report.unset)
        warning_total += len(report.warnings)
    if failed:
        print("Validation failed.")
        return 1
    print(f"Content valid. {unset_total} local values not set up; {warning_total} overdue.")
    return 1 if args.strict and (unset_total or warning_total) else 0


def _rasa_warnings(args: argparse.Namespace) -> int:
    from bot.content.validate import unexpected_rasa_warnings

    warnings = unexpected_rasa_warnings(Path(args.log).read_text(encoding="utf-8"))
    for warning in warnings:
        print(f"WARNING: {warning}")
    print(f"rasa data validate: {len(warnings)} warnings")
    return 1 if warnings else 0


def _nlu_report(args: argparse.Namespace) -> int:
    from bot.nlu.report import print_report

    return print_report(Path(args.report), args.target)



def register(commands: argparse._SubParsersAction) -> None:
    build = commands.add_parser("build", help="render domain responses and rules for a partnership")
    build.add_argument("--partnership", default=settings.partnership_id())
    build.set_defaults(run=_build)

    spacy = commands.add_parser("build-spacy", help="build the project's spaCy pipeline")
    spacy.add_argument("--out", default=str(settings.BUILD_DIR / "spacy" / "en_safeguarding"))
    spacy.set_defaults(run=_build_spacy)

    validate = commands.add_parser("validate", help="check content; list local values not set up")
    validate.add_argument("--partnership", default=settings.partnership_id())
    validate.add_argument("--all", action="store_true", help="every partnership pack")
    validate.add_argument("--strict", action="store_true", help="fail if any local value is unset or overdue")
    validate.set_defaults(run=_validate)

    warnings = commands.add_parser("rasa-warnings", help="fail on warnings in a rasa data validate log")
    warnings.add_argument("log")
    warnings.set_defaults(run=_rasa_warnings)

    report = commands.add_parser("nlu-report", help="per-intent F1 and macro F1 from rasa test nlu")
    report.add_argument("report", help="results/intent_report.json")
    report.add_argument("--target", type=float, default=0.95)
    report.set_defaults(run=_nlu_report)
