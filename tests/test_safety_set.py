"""The trained assistant on the safety set: a child still missing never gets the found checklist, and a child
found or back never gets the missing one (tests/understanding/safety_messages.jsonl, written blind)."""
from __future__ import annotations

import asyncio

import pytest

from bot import settings
from bot.nlu.evaluation import load, replies, score

MODEL = settings.ROOT / "models" / f"{settings.partnership_id()}.tar.gz"
SAFETY_SET = settings.ROOT / "tests" / "understanding" / "safety_messages.jsonl"
# Crossings found on retired held-out sets, kept so that they never come back.
REGRESSIONS = settings.ROOT / "tests" / "understanding" / "crossing_regressions.jsonl"


def test_no_missing_found_crossings_on_the_safety_set() -> None:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does) first", pytrace=False)
    items = load(SAFETY_SET)
    assert sum(item.state == "missing" for item in items) >= 60 and sum(item.state == "found" for item in items) >= 60
    scores = score(items, asyncio.run(replies(MODEL, [item.text for item in items])))
    assert scores.crossings == []


def test_no_crossing_found_on_a_retired_held_out_set_comes_back() -> None:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does) first", pytrace=False)
    items = load(REGRESSIONS)
    assert len(items) >= 6
    scores = score(items, asyncio.run(replies(MODEL, [item.text for item in items])))
    assert scores.crossings == []
