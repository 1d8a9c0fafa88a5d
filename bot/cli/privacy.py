"""Privacy commands: redact, eval-redaction, build-redaction-model."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import settings


def _redact(args: argparse.Namespace) -> int:
    from bot.privacy.redactor import Redactor

    redactor = Redactor()
    # invalid UTF-8 on stdin becomes U+FFFD rather than stopping the stream
    stream = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    for line in stream:
        print(redactor.redact(line.rstrip("\n")), flush=args.unbuffered)
    return 0


def _eval_redaction(args: argparse.Namespace) -> int:
    from bot.privacy.evaluation import TEST_SETS, evaluate, print_scores, print_words_lost
    from bot.privacy.redactor import Redactor

    redactor = Redactor()
    meets_targets = True
    for test_set in TEST_SETS:
        if test_set.held_out and args.development:
            continue
        role = ("held out: the targets apply here" if test_set.judged else
                "held out" if test_set.held_out else "used while building the rules")
        print(f"\n{test_set.name} ({test_set.path.name}, {role})")
        scores = evaluate(redactor, test_set.path)
        print_scores(scores)
        if test_set.judged:
            meets_targets = scores.meets_targets()
        if test_set.held_out:
            continue  # its misses are never shown
        print_words_lost(scores)
        if args.show_misses:
            for miss in scores.misses:
                print(f"  missed {miss}")
    return 0 if meets_targets or not args.strict else 1


def _build_redaction_model(args: argparse.Namespace) -> int:
    from bot.privacy.ner_training import train

    path = train(Path(args.out))
    print(f"Saved the redaction name recogniser to {path}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    redact = commands.add_parser("redact", help="redact personal data: lines on stdin, redacted lines on stdout")
    redact.add_argument("--unbuffered", action="store_true", help="flush after every line")
    redact.set_defaults(run=_redact)

    evaluation = commands.add_parser("eval-redaction", help="recall per personal-data type, ordinary words kept")
    evaluation.add_argument("--strict", action="store_true", help="exit 1 if the targets are not met")
    evaluation.add_argument("--development", action="store_true",
                            help="leave out the held-out set (while changing the redactor)")
    evaluation.add_argument("--show-misses", action="store_true", help="list the development sets' misses")
    evaluation.set_defaults(run=_eval_redaction)

    model = commands.add_parser("build-redaction-model", help="train the name recogniser on synthetic messages")
    model.add_argument("--out", default=str(settings.BUILD_DIR / "spacy" / "en_redaction"))
    model.set_defaults(run=_build_redaction_model)
