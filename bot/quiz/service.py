"""What the quiz actions do, apart from Rasa: load the content once, reach the class tables safely."""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Dict, List

from bot.content import scenarios as quiz_scenarios
from bot.content.scenarios import Scenario
from bot.quiz.classes import Classes, QuizClass
from bot.quiz.codes import normalise

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def scenarios() -> List[Scenario]:
    return quiz_scenarios.load()


@functools.lru_cache(maxsize=1)
def scenarios_by_id() -> Dict[str, Scenario]:
    return quiz_scenarios.by_id(scenarios())


@dataclass(frozen=True)
class Lookup:
    code: str | None
    found: QuizClass | None = None
    unreachable: bool = False


def find_class(code: str | None, classes: Classes | None = None) -> Lookup:
    """The class with this code; `unreachable` if the database could not be asked (never raises)."""
    code = normalise(code)
    if code is None:
        return Lookup(None)
    try:
        return Lookup(code, (classes or Classes()).get(code))
    except Exception as error:  # database down or not migrated: the quiz itself carries on
        logger.warning("quiz: could not look up a class (%s)", type(error).__name__)
        return Lookup(code, unreachable=True)


def record_answer(code: str | None, sender_id: str, scenario_id: str, choice: str, correct: bool,
                  classes: Classes | None = None) -> bool:
    """Stores a class answer; False (never raises) if there is no class, it is closed, or the database fails."""
    if not normalise(code):
        return False
    try:
        return (classes or Classes()).record_answer(normalise(code) or "", sender_id, scenario_id, choice, correct)
    except Exception as error:
        logger.warning("quiz: could not store a class answer (%s)", type(error).__name__)
        return False
