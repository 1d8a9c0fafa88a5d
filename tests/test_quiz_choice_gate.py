"""bot.nlu.quiz_choice.QuizChoiceGate: a typed message is a quiz answer exactly when it is a typed choice."""
from __future__ import annotations

from typing import List, Tuple

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.quiz_choice import QuizChoiceGate


def gated(text: str, ranking: List[Tuple[str, float]]) -> Message:
    message = Message.build(text=text)
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set("intent", entries[0] if entries else {"name": None, "confidence": 0.0})
    message.set("intent_ranking", entries)
    [processed] = QuizChoiceGate({}).process([message])
    return processed


@pytest.mark.parametrize("text", ["b", "B.", "answer c", "the second one", "first", "option 3", "(d)"])
def test_a_typed_choice_is_a_quiz_answer_whatever_the_classifier_said(text: str) -> None:
    processed = gated(text, [("affirm", 0.5), ("quiz_answer", 0.3), ("greet", 0.2)])
    assert processed.get("intent") == {"name": "quiz_answer", "confidence": 1.0}
    assert [e["name"] for e in processed.get("intent_ranking")] == ["quiz_answer", "affirm", "greet"]


@pytest.mark.parametrize("text", ["she's done one", "done a runner", "a runner again", "b and c"])
def test_anything_else_read_as_a_quiz_answer_gets_the_next_intent(text: str) -> None:
    processed = gated(text, [("quiz_answer", 0.45), ("child_missing", 0.3), ("affirm", 0.1)])
    assert processed.get("intent") == {"name": "child_missing", "confidence": 0.3}
    assert [e["name"] for e in processed.get("intent_ranking")] == ["child_missing", "affirm", "quiz_answer"]
    assert gated(text, [("quiz_answer", 0.9)]).get("intent") == {"name": None, "confidence": 0.0}


def test_other_messages_and_buttons_are_left_alone() -> None:
    ranking = [("child_missing", 0.8), ("quiz_answer", 0.1)]
    assert gated("she's not come home", ranking).get("intent") == {"name": "child_missing", "confidence": 0.8}
    button = gated('/quiz_answer{"quiz_choice":"b"}', [("quiz_answer", 1.0)])
    assert button.get("intent") == {"name": "quiz_answer", "confidence": 1.0}
