"""Checks the scenario quiz content; `python -m bot validate` runs it with the rest."""
from __future__ import annotations

from pathlib import Path
from typing import List

from bot.content import partnership as partnerships
from bot.content import scenarios as quiz_scenarios
from bot.content import topics
from bot.content.partnership import DOCUMENT_LABELS
from bot.content.phone_numbers import allowed_numbers, invented_numbers
from bot.content.render import Renderer
from bot.content.scenarios import CHOICE_TEXT_LIMIT, Scenario


def _texts(scenario: Scenario) -> List[tuple]:
    texts = [("title", scenario.title), ("situation", scenario.situation), ("question", scenario.question),
             ("explanation", scenario.explanation)]
    for letter, choice in zip(scenario.letters(), scenario.choices, strict=True):
        texts.append((f"choice {letter}", choice.text))
        if choice.feedback:
            texts.append((f"choice {letter} feedback", choice.feedback))
    return texts


def check_sources(scenarios: List[Scenario], catalogue: topics.Catalogue) -> List[str]:
    errors = []
    for scenario in scenarios:
        for source in scenario.sources:
            if source.startswith("local:"):
                if source.removeprefix("local:") not in DOCUMENT_LABELS:
                    errors.append(f"scenario {scenario.id}: unknown local document {source!r}")
            elif source not in catalogue.sources:
                errors.append(f"scenario {scenario.id}: unknown source {source!r} (see data/topics/sources.yml)")
    return errors


def check_for_partnership(scenarios: List[Scenario], pack: partnerships.Partnership,
                          catalogue: topics.Catalogue) -> List[str]:
    """Placeholders filled, no invented numbers, button titles short enough, for one pack."""
    renderer = Renderer(pack, catalogue)
    allowed = allowed_numbers(pack)
    errors = []
    for scenario in scenarios:
        for part, text in _texts(scenario):
            try:
                filled = renderer.fill(text)
            except KeyError as error:
                errors.append(f"{pack.id}: scenario {scenario.id} {part}: {error.args[0]}")
                continue
            if "{{" in filled or "}}" in filled:
                errors.append(f"{pack.id}: scenario {scenario.id} {part} has an unfilled placeholder")
            for number in invented_numbers(filled, allowed):
                errors.append(f"{pack.id}: scenario {scenario.id} {part} gives a number not in the pack: {number}")
            if part.startswith("choice") and not part.endswith("feedback") and len(filled) > CHOICE_TEXT_LIMIT:
                errors.append(f"{pack.id}: scenario {scenario.id} {part} is {len(filled)} characters, "
                              f"too long for a button (at most {CHOICE_TEXT_LIMIT})")
    return errors


def check(pack_ids: List[str], catalogue: topics.Catalogue, files: List[Path] | None = None) -> List[str]:
    """Every problem with the scenarios, for every pack named; [] if they are fine."""
    try:
        scenarios = quiz_scenarios.load(files)
    except quiz_scenarios.ScenarioError as error:
        return str(error).splitlines()
    if not scenarios:
        return ["no scenarios: add some to data/scenarios/*.yml"]
    errors = check_sources(scenarios, catalogue)
    for pack_id in pack_ids:
        try:
            pack = partnerships.load(pack_id)
        except Exception:  # a broken pack is reported by the pack check
            continue
        errors += check_for_partnership(scenarios, pack, catalogue)
    return errors
