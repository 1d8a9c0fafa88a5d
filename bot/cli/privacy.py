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
    from bot.privacy.evaluation import (
        DEV2_SET,
        DEV3_SET,
        DEV4_SET,
        DEV5_SET,
        DEV_SET,
        EVAL_SET,
        RETIRED2_SET,
        RETIRED_SET,
        TUNING_SET,
        evaluate,
        print_scores,
    )
    from bot.privacy.redactor import Redactor

    redactor = Redactor()
    print(f"Held-out evaluation set ({EVAL_SET.name}): the targets apply here")
    held_out = evaluate(redactor, EVAL_SET)
    print_scores(held_out)
    if args.show_misses:
        for miss in held_out.misses:
            print(f"  missed {miss}")
    reference = (("Second retired held-out set", RETIRED2_SET), ("First retired held-out set", RETIRED_SET),
                 ("Tuning set", TUNING_SET), ("Development set", DEV_SET), ("Second development set", DEV2_SET),
                 ("Third development set", DEV3_SET), ("Fourth development set", DEV4_SET),
                 ("Fifth development set", DEV5_SET))
    for name, path in reference:
        print(f"\n{name} ({path.name}): used while building the rules, for reference")
        print_scores(evaluate(redactor, path))
    return 0 if held_out.meets_targets() or not args.strict else 1


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
    evaluation.add_argument("--show-misses", action="store_true")
    evaluation.set_defaults(run=_eval_redaction)

    model = commands.add_parser("build-redaction-model", help="train the name recogniser on synthetic messages")
    model.add_argument("--out", default=str(settings.BUILD_DIR / "spacy" / "en_redaction"))
    model.set_defaults(run=_build_redaction_model)
