"""python -m bot eval-understanding: right, clarifying, fallback and wrong rates, and missing/found crossings,
for the development, held-out and safety sets in tests/understanding/ (the trained model, in process)."""
from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import List

from bot import settings

SETS_DIR = settings.ROOT / "tests" / "understanding"
SETS = (("Development set", "dev_messages.jsonl"), ("Safety set", "safety_messages.jsonl"),
        ("Held-out set", "heldout_messages.jsonl"))


def _evaluate(args: argparse.Namespace) -> int:
    from bot.nlu.evaluation import load, render, replies, score

    os.environ.setdefault(settings.RASA_TELEMETRY_ENABLED.name, settings.RASA_TELEMETRY_ENABLED.default)
    chosen: List[tuple] = [(name, SETS_DIR / file) for name, file in SETS if args.set in ("all", file.split("_")[0])]
    failed = False
    for name, path in chosen:
        if not path.exists():
            print(f"{name}: {path.name} is missing")
            continue
        items = load(path)
        scores = score(items, asyncio.run(replies(Path(args.model), [item.text for item in items])))
        print(render(f"{name} ({path.name})", scores))
        for crossing in scores.crossings:
            print(f"  CROSSING {crossing}")
        if args.show_wrong and "heldout" not in path.name:
            for wrong in scores.wrong:
                print(f"  wrong: {wrong}")
        failed = failed or bool(scores.crossings)
    return 1 if failed and args.strict else 0


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("eval-understanding", help="right/clarifying/wrong rates on the labelled sets")
    command.add_argument("--model", default=f"models/{settings.partnership_id()}.tar.gz")
    command.add_argument("--set", default="all", choices=("all", "dev", "safety", "heldout"))
    command.add_argument("--show-wrong", action="store_true", help="list wrong answers (never for the held-out set)")
    command.add_argument("--strict", action="store_true", help="exit 1 on any missing/found crossing")
    command.set_defaults(run=_evaluate)
