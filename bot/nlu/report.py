"""Prints per-intent F1 and the macro F1 from Rasa's intent_report.json."""
from __future__ import annotations

import json
from pathlib import Path

SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def print_report(path: Path, target: float) -> int:
    report = json.loads(path.read_text(encoding="utf-8"))
    intents = {k: v for k, v in report.items() if k not in SUMMARY_KEYS}
    print(f"{'intent':32} {'F1':>6} {'support':>8}")
    for name, scores in sorted(intents.items(), key=lambda item: item[1]["f1-score"]):
        print(f"{name:32} {scores['f1-score']:6.3f} {scores['support']:8d}")
    macro = report["macro avg"]["f1-score"]
    verdict = "meets" if macro >= target else "BELOW"
    print(f"\nmacro F1 {macro:.3f} ({verdict} the target {target:.2f})")
    confusion = path.parent / "intent_confusion_matrix.png"
    if confusion.exists():
        print(f"confusion matrix: {confusion}")
    return 0
