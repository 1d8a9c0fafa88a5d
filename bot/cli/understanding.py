"""python -m bot eval-understanding: right, clarifying, fallback and wrong rates, and missing/found crossings,
for the development, held-out and safety sets in tests/understanding/ (the trained model, in process)."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
from pathlib import Path
from typing import List

from bot import settings

SETS_DIR = settings.ROOT / "tests" / "understanding"
# (key, name, file, held out): a held-out set's misses and crossings are counted, never shown.
SETS = (("dev", "Development set", "dev_messages.jsonl", False),
        ("safety", "Safety set", "safety_messages.jsonl", False),
        ("retired", "Retired held-out set", "retired_heldout_messages.jsonl", False),
        ("retired2", "Second retired held-out set", "heldout2_messages.jsonl", False),
        ("retired3", "Third retired held-out set", "heldout3_messages.jsonl", False),
        ("retired4", "Fourth retired held-out set", "heldout4_messages.jsonl", False),
        ("retired5", "Fifth retired held-out set", "heldout5_messages.jsonl", False),
        ("retired6", "Sixth retired held-out set", "heldout6_messages.jsonl", False),
        ("retired7", "Seventh retired held-out set", "heldout7_messages.jsonl", False),
        ("retired8", "Eighth retired held-out set", "heldout8_messages.jsonl", False),
        ("retired9", "Ninth retired held-out set", "heldout9_messages.jsonl", False),
        ("retired10", "Tenth retired held-out set", "heldout10_messages.jsonl", False),
        ("retired11", "Eleventh retired held-out set", "heldout11_messages.jsonl", False),
        ("retired12", "Twelfth retired held-out set", "heldout12_messages.jsonl", False),
        ("retired13", "Thirteenth retired held-out set", "heldout13_messages.jsonl", False),
        ("retired14", "Fourteenth retired held-out set", "heldout14_messages.jsonl", False),
        ("retired15", "Fifteenth retired held-out set", "heldout15_messages.jsonl", False),
        ("heldout", "Held-out set", "heldout16_messages.jsonl", True))


def _evaluate(args: argparse.Namespace) -> int:
    from bot.content import topics
    from bot.nlu.evaluation import load, render, replies, score

    os.environ.setdefault(settings.RASA_TELEMETRY_ENABLED.name, settings.RASA_TELEMETRY_ENABLED.default)
    chosen: List[tuple] = [(name, SETS_DIR / file, held_out) for key, name, file, held_out in SETS
                           if args.set in ("all", key)]
    catalogue = topics.load()
    failed = False
    for name, path, held_out in chosen:
        if not path.exists():
            print(f"{name}: {path.name} is missing")
            continue
        items = load(path)
        answers = asyncio.run(replies(Path(args.model), [item.text for item in items]))
        scores = score(items, answers, catalogue=catalogue)
        print(render(f"{name} ({path.name})", scores))
        for crossing in [] if held_out else scores.crossings:
            print(f"  CROSSING {crossing}")
        if args.show_wrong and not held_out:
            for wrong in scores.wrong:
                print(f"  wrong: {wrong}")
        failed = failed or bool(scores.crossings)
    return 1 if failed and args.strict else 0


def retired_files() -> List[Path]:
    """The held-out sets already measured and studied: their state labels train the learned second opinion."""
    return [SETS_DIR / file for key, _, file, _ in SETS if key.startswith("retired")]


def state_examples() -> str:
    """data/child_state/examples.jsonl as it should be: each retired set's texts with their state labels, less any
    text a development, safety or held-out set also holds ("misper what do i do" was written for several)."""
    from bot.nlu.evaluation import load

    retired = retired_files()
    measured = {item.text for _, _, file, _ in SETS if SETS_DIR / file not in retired and (SETS_DIR / file).exists()
                for item in load(SETS_DIR / file)}
    lines = [json.dumps({"text": item.text, "state": item.state}, ensure_ascii=False)
             for path in retired for item in load(path) if item.text not in measured]
    return "\n".join(lines) + "\n"


def _write_state_examples(args: argparse.Namespace) -> int:
    from bot.nlu.state_classifier import EXAMPLES

    path = settings.ROOT / EXAMPLES
    path.parent.mkdir(parents=True, exist_ok=True)
    text = state_examples()
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {text.count(chr(10))} labelled states from {len(retired_files())} retired sets to {EXAMPLES}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("eval-understanding", help="right/clarifying/wrong rates on the labelled sets")
    command.add_argument("--model", default=f"models/{settings.partnership_id()}.tar.gz")
    command.add_argument("--set", default="all", choices=("all", *(key for key, *_ in SETS)))
    command.add_argument("--show-wrong", action="store_true", help="list wrong answers (never for the held-out set)")
    command.add_argument("--strict", action="store_true", help="exit 1 on any missing/found crossing")
    command.set_defaults(run=_evaluate)
    command = commands.add_parser("state-examples", help="gather the retired sets' state labels for training")
    command.set_defaults(run=_write_state_examples)
