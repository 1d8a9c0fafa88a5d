"""A quiz answer typed instead of pressed (bot/quiz/choices.py)."""
from __future__ import annotations

import pytest

from bot.quiz.choices import typed_choice

FOUR = "abcd"


@pytest.mark.parametrize("text, letter", [
    ("a", "a"), ("B", "b"), ("b.", "b"), ("C)", "c"), ("(d)", "d"), ("answer c", "c"), ("Answer: B", "b"),
    ("the answer is b", "b"), ("I think it's a", "a"), ("i'd say d", "d"), ("I’ll go with C", "c"),
    ("c please", "c"), ("option a", "a"), ("option 3", "c"), ("option one", "a"), ("number 2", "b"),
    ("first", "a"), ("the second one", "b"), ("3rd one", "c"), ("the fourth one", "d"), ("the last one", "d"),
    ("2", "b"),
])
def test_a_typed_choice_is_read_as_its_letter(text: str, letter: str) -> None:
    assert typed_choice(text, FOUR) == letter


@pytest.mark.parametrize("text", [
    "", "b and c", "plan b for the weekend", "not sure", "no", "next question", "option 5", "e", "a or b",
    "what is the answer to question 2 about the return home interview and who does it",
])
def test_anything_else_is_not_a_choice(text: str) -> None:
    assert typed_choice(text, FOUR) is None


def test_a_letter_or_position_the_question_does_not_have_is_not_a_choice() -> None:
    assert typed_choice("d", "abc") is None and typed_choice("the fourth one", "abc") is None
    assert typed_choice("the last one", "abc") == "c"
