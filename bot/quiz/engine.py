"""A quiz run: which scenarios, in what order, and the score. Plain data, kept in a Rasa slot.

The order is a shuffle seeded by the class code (everyone in a class gets the same scenarios in
the same order, so the trainer can go through them together) or, outside a class, by the
conversation and the number of runs it has started (a new run, a new order). QUIZ_ORDER=fixed
keeps the order of the YAML files (tests, or a trainer who wants a set sequence); QUIZ_LENGTH sets
how many scenarios a run has (default 5; "all" for every scenario).
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Mapping, Sequence

from bot import settings
from bot.content.scenarios import Scenario

DEFAULT_LENGTH = 5


def run_length(env: Mapping[str, str] | None = None, available: int | None = None) -> int:
    value = settings.QUIZ_LENGTH.get(env).lower()
    if value == "all":
        length = available or DEFAULT_LENGTH
    else:
        try:
            length = int(value) if value else DEFAULT_LENGTH
        except ValueError:
            length = DEFAULT_LENGTH
    length = max(1, length)
    return min(length, available) if available else length


def fixed_order(env: Mapping[str, str] | None = None) -> bool:
    return settings.QUIZ_ORDER.get(env).lower() == "fixed"


def choose(ids: Sequence[str], length: int, seed: str, fixed: bool = False) -> List[str]:
    """`length` scenario ids: the first ones in file order if fixed, else a shuffle seeded by `seed`."""
    ordered = list(ids)
    if not fixed:
        # random.Random with a string seed is stable across processes (unlike hash())
        random.Random(hashlib.sha256(seed.encode("utf-8")).hexdigest()).shuffle(ordered)
    return ordered[:length]


@dataclass
class QuizState:
    run: List[str] = field(default_factory=list)  # scenario ids, in the order asked
    position: int = 0  # index in `run` of the question being asked
    correct: int = 0
    answered: int = 0
    runs: int = 0  # runs started in this conversation (varies the order outside a class)
    wrong: List[str] = field(default_factory=list)  # ids answered wrongly, for the summary
    class_code: str | None = None  # the open class the run was started in, if any
    stored: int = 0  # answers of this run actually stored for a class
    stored_class: str | None = None  # the class they were stored for

    @property
    def finished(self) -> bool:
        return self.position >= len(self.run)

    @property
    def current(self) -> str | None:
        return None if self.finished else self.run[self.position]

    def to_slot(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: Any) -> QuizState:
        if not isinstance(value, dict):
            return cls()
        try:
            return cls(
                run=[str(item) for item in value.get("run") or []],
                position=int(value.get("position") or 0),
                correct=int(value.get("correct") or 0),
                answered=int(value.get("answered") or 0),
                runs=int(value.get("runs") or 0),
                wrong=[str(item) for item in value.get("wrong") or []],
                class_code=str(value["class_code"]) if value.get("class_code") else None,
                stored=int(value.get("stored") or 0),
                stored_class=str(value["stored_class"]) if value.get("stored_class") else None,
            )
        except (TypeError, ValueError):
            return cls()


def start(
    previous: QuizState,
    scenarios: Sequence[Scenario],
    sender_id: str,
    class_code: str | None = None,
    env: Mapping[str, str] | None = None,
) -> QuizState:
    """A new run. The first run in a class is the class's own order, the same for everyone in it;
    any other run is shuffled for this conversation and run number."""
    runs = previous.runs + 1
    first_in_class = class_code and previous.class_code != class_code
    seed = f"class:{class_code}" if first_in_class else f"sender:{sender_id}:{runs}"
    ids = [scenario.id for scenario in scenarios]
    run = choose(ids, run_length(env, len(ids)), seed, fixed_order(env))
    return QuizState(run=run, runs=runs, class_code=class_code)


@dataclass(frozen=True)
class Marked:
    scenario: Scenario
    letter: str
    correct: bool


def mark(scenario: Scenario, letter: str) -> Marked:
    """Scores one answer; a letter the scenario does not have raises ValueError."""
    letter = (letter or "").strip().lower()
    if scenario.choice(letter) is None:
        raise ValueError(f"{scenario.id} has no choice {letter!r}")
    return Marked(scenario, letter, letter == scenario.correct_letter)


def record(state: QuizState, marked: Marked, stored_for: str | None = None) -> QuizState:
    """The state after answering the current question: scored, and moved on to the next.
    `stored_for` is the class the answer was actually stored for, if it was."""
    return QuizState(
        run=list(state.run),
        position=state.position + 1,
        correct=state.correct + int(marked.correct),
        answered=state.answered + 1,
        runs=state.runs,
        wrong=list(state.wrong) + ([] if marked.correct else [marked.scenario.id]),
        class_code=state.class_code,
        stored=state.stored + int(stored_for is not None),
        stored_class=stored_for or state.stored_class,
    )


def percent(correct: int, answered: int) -> int:
    return round(100 * correct / answered) if answered else 0
