"""The scenario quiz content in data/scenarios/*.yml (or data/scenarios.yml): each scenario and its id."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bot import settings
from bot.content.pydantic_compat import BaseModel, Extra, validator

LETTERS = "abcd"
MIN_CHOICES, MAX_CHOICES = 3, 4
# A choice is also its button's title ("B. ..."): short enough for a phone and a Teams card.
CHOICE_TEXT_LIMIT = 60
DANGER_THEME = "immediate danger"  # the correct answer puts 999 first; a wrong answer is told "Call 999 now"
SCENARIO_ID = re.compile(r"^[a-z][a-z0-9_]{1,59}$")


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid


class Choice(_Strict):
    text: str
    correct: bool = False
    feedback: str | None = None

    @validator("text")
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a choice has no text")
        return value.strip()


class Scenario(_Strict):
    id: str
    title: str
    theme: str | None = None
    situation: str
    question: str
    choices: List[Choice]
    explanation: str
    sources: List[str]
    reviewed: dt.date

    @validator("id")
    def _id_shape(cls, value: str) -> str:
        if not SCENARIO_ID.match(value):
            raise ValueError(f"id {value!r} must be lowercase letters, digits and underscores")
        return value

    @validator("choices")
    def _one_correct(cls, value: List[Choice]) -> List[Choice]:
        if not MIN_CHOICES <= len(value) <= MAX_CHOICES:
            raise ValueError(f"{len(value)} choices: give {MIN_CHOICES} or {MAX_CHOICES}")
        correct = sum(choice.correct for choice in value)
        if correct != 1:
            raise ValueError(f"{correct} choices are marked correct: mark exactly one `correct: true`")
        return value

    @validator("sources")
    def _has_sources(cls, value: List[str]) -> List[str]:
        if not value:
            raise ValueError("names no source")
        return value

    def letters(self) -> List[str]:
        return list(LETTERS[: len(self.choices)])

    @property
    def correct_letter(self) -> str:
        return next(letter for letter, choice in zip(self.letters(), self.choices, strict=True) if choice.correct)

    def choice(self, letter: str) -> Choice | None:
        index = LETTERS.find(letter)
        return self.choices[index] if 0 <= index < len(self.choices) and len(letter) == 1 else None


class ScenarioError(ValueError):
    """The scenario content cannot be loaded; the message names the file and the problem."""


def paths(data_dir: Path | None = None) -> List[Path]:
    data_dir = data_dir or settings.DATA_DIR
    found = sorted((data_dir / "scenarios").glob("*.yml")) if (data_dir / "scenarios").is_dir() else []
    single = data_dir / "scenarios.yml"
    return ([single] if single.exists() else []) + found


def load(files: List[Path] | None = None) -> List[Scenario]:
    """Every scenario, in file order; raises ScenarioError naming the file and scenario at fault."""
    files = paths() if files is None else files
    scenarios: List[Scenario] = []
    seen: Dict[str, Path] = {}
    problems: List[str] = []
    for path in files:
        try:
            content: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            problems.append(f"{path.name}: not valid YAML ({' '.join(str(error).split())})")
            continue
        if not isinstance(content, dict) or set(content) - {"scenarios"}:
            problems.append(f"{path.name}: expected one top-level key `scenarios`")
            continue
        for number, raw in enumerate(content.get("scenarios") or [], start=1):
            name = raw.get("id", f"#{number}") if isinstance(raw, dict) else f"#{number}"
            try:
                scenario = Scenario.parse_obj(raw)
            except Exception as error:  # pydantic's message lists every field at fault
                detail = " ".join(str(error).split())
                problems.append(f"{path.name}: scenario {name}: {detail}")
                continue
            if scenario.id in seen:
                problems.append(f"{path.name}: scenario id {scenario.id!r} already used in {seen[scenario.id].name}")
                continue
            seen[scenario.id] = path
            scenarios.append(scenario)
    if problems:
        raise ScenarioError("\n".join(problems))
    return scenarios


def by_id(scenarios: List[Scenario]) -> Dict[str, Scenario]:
    return {scenario.id: scenario for scenario in scenarios}
