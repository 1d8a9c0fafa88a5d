"""A class's results for its trainer: per scenario, % correct and the most common wrong answers.

Plain functions over the quiz tables returning simple dataclasses, for the command line
(`python -m bot classes results`) and the review dashboard's trainer page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Sequence

from sqlalchemy import Integer, case, func, select

from bot.content.scenarios import Scenario
from bot.db.csv_file import csv_text
from bot.db.tables import quiz_answers
from bot.quiz.classes import ClassError, Classes, QuizClass

COMMON_WRONG = 3


@dataclass(frozen=True)
class WrongAnswer:
    choice: str  # letter, a-d
    text: str  # the choice as written in the scenario ("" if the scenario has changed since)
    count: int


@dataclass(frozen=True)
class ScenarioResult:
    scenario_id: str
    title: str
    answered: int
    correct: int
    correct_choice: str
    common_wrong: List[WrongAnswer] = field(default_factory=list)

    @property
    def percent_correct(self) -> float:
        return round(100.0 * self.correct / self.answered, 1) if self.answered else 0.0


@dataclass(frozen=True)
class ClassResults:
    quiz_class: QuizClass
    participants: int
    answers: int
    scenarios: List[ScenarioResult]

    @property
    def percent_correct(self) -> float:
        correct = sum(result.correct for result in self.scenarios)
        return round(100.0 * correct / self.answers, 1) if self.answers else 0.0


def aggregate(rows: Sequence[tuple], scenarios: Dict[str, Scenario], limit: int = COMMON_WRONG) -> List[ScenarioResult]:
    """Per-scenario results from (scenario_id, choice, correct, count) rows.

    Scenarios are in content order (then any no longer in the content, by id); wrong answers most
    common first, ties by letter.
    """
    counts: Dict[str, Dict[tuple, int]] = {}
    for scenario_id, choice, correct, count in rows:
        counts.setdefault(scenario_id, {})
        key = (choice, bool(correct))
        counts[scenario_id][key] = counts[scenario_id].get(key, 0) + int(count)
    order = [key for key in scenarios if key in counts] + sorted(set(counts) - set(scenarios))
    results = []
    for scenario_id in order:
        scenario = scenarios.get(scenario_id)
        by_choice = counts[scenario_id]
        wrong = sorted(((choice, n) for (choice, correct), n in by_choice.items() if not correct),
                       key=lambda item: (-item[1], item[0]))
        results.append(ScenarioResult(
            scenario_id=scenario_id,
            title=scenario.title if scenario else scenario_id,
            answered=sum(by_choice.values()),
            correct=sum(n for (_, correct), n in by_choice.items() if correct),
            correct_choice=scenario.correct_letter if scenario else "",
            common_wrong=[WrongAnswer(choice, _choice_text(scenario, choice), n) for choice, n in wrong[:limit]],
        ))
    return results


def _choice_text(scenario: Scenario | None, letter: str) -> str:
    choice = scenario.choice(letter) if scenario else None
    return choice.text if choice else ""


def _existing(classes: Classes, code: str) -> QuizClass:
    found = classes.get(code)
    if found is None:
        raise ClassError(f"no class with code {code}")
    return found


def class_results(code: str, scenarios: Sequence[Scenario], classes: Classes | None = None) -> ClassResults:
    """Results of one class; ClassError if there is no such class."""
    classes = classes or Classes()
    found = _existing(classes, code)
    with classes.engine.connect() as connection:
        rows = connection.execute(
            select(quiz_answers.c.scenario_id, quiz_answers.c.choice, quiz_answers.c.correct, func.count())
            .where(quiz_answers.c.class_code == found.code)
            .group_by(quiz_answers.c.scenario_id, quiz_answers.c.choice, quiz_answers.c.correct)
        ).all()
        participants = connection.execute(
            select(func.count(func.distinct(quiz_answers.c.participant))).where(quiz_answers.c.class_code == found.code)
        ).scalar_one()
    per_scenario = aggregate([tuple(row) for row in rows], {scenario.id: scenario for scenario in scenarios})
    return ClassResults(found, int(participants), sum(result.answered for result in per_scenario), per_scenario)


@dataclass(frozen=True)
class ClassSummary:
    quiz_class: QuizClass
    participants: int
    answers: int


def summaries(classes: Classes | None = None) -> List[ClassSummary]:
    """Every class, newest first, with its numbers of participants and answers (one query for the counts)."""
    classes = classes or Classes()
    found = classes.list()
    with classes.engine.connect() as connection:
        counts = {row[0]: (int(row[1]), int(row[2])) for row in connection.execute(
            select(quiz_answers.c.class_code, func.count(func.distinct(quiz_answers.c.participant)), func.count())
            .group_by(quiz_answers.c.class_code))}
    return [ClassSummary(quiz_class, *counts.get(quiz_class.code, (0, 0))) for quiz_class in reversed(found)]


SCORE_BANDS = ((0, 20, "0–19%"), (20, 40, "20–39%"), (40, 60, "40–59%"), (60, 80, "60–79%"),
               (80, 101, "80–100%"))


def score_distribution(code: str, classes: Classes | None = None) -> List[tuple]:
    """(band, participants) per band of SCORE_BANDS, by each participant's % correct of what they answered."""
    classes = classes or Classes()
    found = _existing(classes, code)
    with classes.engine.connect() as connection:
        rows = connection.execute(
            select(func.count(), func.sum(case((quiz_answers.c.correct, 1), else_=0).cast(Integer)))
            .where(quiz_answers.c.class_code == found.code)
            .group_by(quiz_answers.c.participant)).all()
    bands = {label: 0 for _, _, label in SCORE_BANDS}
    for answered, correct in rows:
        score = 100.0 * int(correct or 0) / int(answered)
        label = next(label for low, high, label in SCORE_BANDS if low <= score < high)
        bands[label] += 1
    return list(bands.items())


def as_text(results: ClassResults) -> str:
    quiz_class = results.quiz_class
    state = "open" if quiz_class.is_open else f"closed {quiz_class.closed_at:%d %b %Y %H:%M} UTC"
    lines = [
        f"Class {quiz_class.code}" + (f" ({quiz_class.name})" if quiz_class.name else "") + f", {state}",
        f"{results.participants} participants, {results.answers} answers, {results.percent_correct:g}% correct",
    ]
    if not results.scenarios:
        lines.append("No answers yet.")
    for result in results.scenarios:
        lines.append("")
        lines.append(f"{result.title} [{result.scenario_id}]")
        lines.append(f"  {result.percent_correct:g}% correct ({result.correct} of {result.answered}); "
                     f"answer {result.correct_choice.upper() or '?'}")
        for wrong in result.common_wrong:
            lines.append(f"  wrong {wrong.choice.upper()}: {wrong.count} x {wrong.text}".rstrip())
    return "\n".join(lines)


CSV_FIELDS = ["class_code", "class_name", "scenario_id", "title", "answered", "correct", "percent_correct",
              "correct_choice", "common_wrong"]


def as_csv(results: ClassResults) -> str:
    rows = []
    for result in results.scenarios:
        wrong = "; ".join(f"{w.choice.upper()} ({w.count}): {w.text}" for w in result.common_wrong)
        rows.append((
            results.quiz_class.code, results.quiz_class.name or "", result.scenario_id, result.title,
            result.answered, result.correct, f"{result.percent_correct:g}", result.correct_choice.upper(), wrong))
    return csv_text(CSV_FIELDS, rows)
