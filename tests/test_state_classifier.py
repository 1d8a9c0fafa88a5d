"""The learned second opinion on the child's state: trained only on retired held-out sets, negation-aware,
stored and loaded as data, and set on each message for the state guard."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import settings
from bot.cli.understanding import SETS, SETS_DIR, state_examples
from bot.nlu.child_state import ASK_INTENT, ChildStateGuard
from bot.nlu.evaluation import load
from bot.nlu.state_classifier import EXAMPLES, LEARNED_STATE, ChildStateClassifier, with_negation_marked

EXAMPLES_PATH = settings.ROOT / EXAMPLES


def test_the_examples_are_the_retired_sets_state_labels_as_they_stand() -> None:
    assert EXAMPLES_PATH.read_text(encoding="utf-8") == state_examples(), (
        "data/child_state/examples.jsonl is out of date: run `python -m bot state-examples`")


@pytest.mark.parametrize("key", [key for key, *_ in SETS if not key.startswith("retired")])
def test_no_development_safety_or_held_out_message_is_trained_on(key: str) -> None:
    trained = {json.loads(line)["text"] for line in EXAMPLES_PATH.read_text(encoding="utf-8").splitlines()}
    file = next(file for set_key, _, file, _ in SETS if set_key == key)
    shared = [item.text for item in load(SETS_DIR / file) if item.text in trained]
    assert shared == []


def test_a_negation_marks_the_words_it_governs() -> None:
    assert with_negation_marked("No one has found him yet. Found her!") == (
        "no not_one not_has not_found him yet . found her !")
    assert with_negation_marked("he hasn’t come back, she has") == "he hasn't not_come not_back , she has"
    # an opening "no" answers a question: "No, he came back" says he came back
    assert with_negation_marked("No he came back. nope, she is home") == "no he came back . nope , she is home"


def test_it_trains_stores_and_loads_as_data_and_scores_every_message(tmp_path: Path) -> None:
    examples = tmp_path / "examples.jsonl"
    examples.write_text("\n".join(json.dumps({"text": text, "state": state}) for text, state in [
        ("she came home last night", "found"), ("police found him at 3am", "found"), ("back safe now", "found"),
        ("still not home", "missing"), ("no one has found him yet", "missing"), ("hasn't come back", "missing"),
        ("what is a return interview", "not_yet"), ("who do I notify", None), ("training dates?", "unclear"),
    ]), encoding="utf-8")
    config = {**ChildStateClassifier.get_default_config(), "examples": str(examples)}
    (tmp_path / "storage").mkdir()
    storage = LocalModelStorage(tmp_path / "storage")
    resource = Resource("state")
    context = ExecutionContext(GraphSchema({}), "state")
    ChildStateClassifier.create(config, storage, resource, context).train(TrainingData())
    loaded = ChildStateClassifier.load(config, storage, resource, context)
    found, empty = Message(data={TEXT: "he came home at 3am"}), Message(data={TEXT: "  "})
    loaded.process([found, empty])
    scores = found.get(LEARNED_STATE)
    assert set(scores) == {"missing", "found", "other"} and sum(scores.values()) == pytest.approx(1.0)
    assert max(scores, key=scores.get) == "found"
    assert empty.get(LEARNED_STATE) is None


def test_a_changed_examples_file_changes_the_fingerprint(tmp_path: Path) -> None:
    examples = tmp_path / "examples.jsonl"
    examples.write_text('{"text": "still not home", "state": "missing"}\n', encoding="utf-8")
    before = ChildStateClassifier.fingerprint_addon({"examples": str(examples)})
    examples.write_text('{"text": "still not home", "state": "found"}\n', encoding="utf-8")
    assert ChildStateClassifier.fingerprint_addon({"examples": str(examples)}) != before


def test_a_stored_model_with_an_unexpected_type_is_refused(tmp_path: Path) -> None:
    (tmp_path / "storage").mkdir()
    storage, resource = LocalModelStorage(tmp_path / "storage"), Resource("state")
    with storage.write_to(resource) as model_dir:
        sio.dump(Counter(found=1), model_dir / "state.skops")
    with pytest.raises(ValueError, match="collections.Counter"):
        ChildStateClassifier.load({}, storage, resource, ExecutionContext(GraphSchema({}), "state"))


def test_the_guard_asks_when_the_learned_state_contradicts_its_checklist() -> None:
    text = "Teacher here, a Year 7 girl told me something about her nan"
    ranking = [{"name": "child_missing", "confidence": 0.7}, {"name": "child_found", "confidence": 0.1}]

    def guarded(learned: dict | None) -> str:
        message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
        if learned is not None:
            message.set(LEARNED_STATE, learned)
        ChildStateGuard({}).process([message])
        return message.get(INTENT)["name"]

    assert guarded({"missing": 0.1, "found": 0.8, "other": 0.1}) == ASK_INTENT
    assert guarded({"missing": 0.8, "found": 0.1, "other": 0.1}) == "child_missing"
    assert guarded(None) == "child_missing"
