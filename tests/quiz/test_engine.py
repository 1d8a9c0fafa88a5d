from __future__ import annotations

import pytest

from bot.content import scenarios
from bot.quiz import engine
from bot.quiz.engine import QuizState

ALL = scenarios.load()
BY_ID = scenarios.by_id(ALL)
IDS = [s.id for s in ALL]


def test_marking_one_answer() -> None:
    scenario = BY_ID["out_of_area_return"]
    assert engine.mark(scenario, "b").correct
    assert not engine.mark(scenario, "A").correct
    with pytest.raises(ValueError):
        engine.mark(scenario, "e")
    with pytest.raises(ValueError):
        engine.mark(scenario, "")


def test_scoring_a_run() -> None:
    state = QuizState(run=["out_of_area_return", "boy_new_phone", "held_in_a_flat"])
    state = engine.record(state, engine.mark(BY_ID["out_of_area_return"], "b"))
    state = engine.record(state, engine.mark(BY_ID["boy_new_phone"], "a"))
    assert (state.position, state.correct, state.answered, state.wrong) == (2, 1, 2, ["boy_new_phone"])
    assert state.current == "held_in_a_flat" and not state.finished
    state = engine.record(state, engine.mark(BY_ID["held_in_a_flat"], "a"))
    assert state.finished and state.current is None
    assert (state.correct, state.answered, engine.percent(state.correct, state.answered)) == (2, 3, 67)
    assert engine.percent(0, 0) == 0


def test_state_survives_the_slot_and_bad_values() -> None:
    state = QuizState(run=["a_b", "c_d"], position=1, correct=1, answered=1, runs=2, wrong=[], class_code="K7P2QX")
    assert QuizState.from_slot(state.to_slot()) == state
    assert QuizState.from_slot(None) == QuizState()
    assert QuizState.from_slot({"position": "x"}) == QuizState()


def test_run_length_and_order_settings() -> None:
    assert engine.run_length({}, 18) == 5
    assert engine.run_length({"QUIZ_LENGTH": "3"}, 18) == 3
    assert engine.run_length({"QUIZ_LENGTH": "all"}, 18) == 18
    assert engine.run_length({"QUIZ_LENGTH": "40"}, 18) == 18
    assert engine.run_length({"QUIZ_LENGTH": "nonsense"}, 18) == 5
    assert engine.run_length({"QUIZ_LENGTH": "0"}, 18) == 1
    assert engine.fixed_order({"QUIZ_ORDER": "fixed"}) and not engine.fixed_order({})


def test_fixed_order_is_the_file_order() -> None:
    state = engine.start(QuizState(), ALL, "anyone", env={"QUIZ_ORDER": "fixed", "QUIZ_LENGTH": "3"})
    assert state.run == IDS[:3] and state.runs == 1


def test_the_shuffle_is_deterministic_per_conversation_and_run() -> None:
    env = {"QUIZ_LENGTH": "5"}
    first = engine.start(QuizState(), ALL, "practitioner-1", env=env)
    assert engine.start(QuizState(), ALL, "practitioner-1", env=env).run == first.run
    assert len(set(first.run)) == 5 and set(first.run) <= set(IDS)
    second = engine.start(first, ALL, "practitioner-1", env=env)
    assert second.runs == 2 and second.run != first.run
    assert engine.start(QuizState(), ALL, "practitioner-2", env=env).run != first.run


def test_a_class_gets_one_order_for_everyone_on_its_first_run() -> None:
    env = {"QUIZ_LENGTH": "5"}
    alice = engine.start(QuizState(runs=3), ALL, "sender-a", "K7P2QX", env)
    bob = engine.start(QuizState(), ALL, "sender-b", "K7P2QX", env)
    assert alice.run == bob.run and alice.class_code == "K7P2QX"
    assert engine.start(QuizState(), ALL, "sender-b", "R8TU2C", env).run != bob.run
    # a second run in the same class is the practitioner's own shuffle
    assert engine.start(bob, ALL, "sender-b", "K7P2QX", env).run != bob.run
