"""Corrections a safeguarding lead asked for, checked on the answers as practitioners see them.

Each test names what was wrong and fails on the earlier text. Answers are rendered for
pan_cheshire; the national wording is the same for every partnership.
"""
from __future__ import annotations

import re
from typing import Dict, List

import pytest

from bot.content import partnership
from bot.content.render import Renderer
from bot.content import scenarios as quiz_scenarios

PACK = "pan_cheshire"


@pytest.fixture(scope="module")
def responses(catalogue) -> Dict[str, List[dict]]:
    return Renderer(partnership.load(PACK), catalogue).responses()


@pytest.fixture(scope="module")
def scenarios() -> dict:
    return quiz_scenarios.by_id(quiz_scenarios.load())


def body(text: str) -> str:
    """An answer without the lines after it (what is not set up, sources, currency)."""
    return text.split("\n\n")[0]


def answer(responses: Dict[str, List[dict]], name: str, when: str | None = None) -> str:
    """The default text of utter_<name>, or the variation for the slot value `when`."""
    for variation in responses[f"utter_{name}"]:
        condition = variation.get("condition")
        if when is None and not condition or condition and condition[0]["value"] == when:
            return body(variation["text"])
    raise KeyError(f"utter_{name} has no variation for {when!r}")


def every_answer(responses: Dict[str, List[dict]]) -> List[tuple]:
    return [(name, body(v["text"])) for name, variations in responses.items() for v in variations]


def scenario_text(case) -> str:
    parts = [case.situation, case.question, case.explanation]
    parts += [choice.text + " " + (choice.feedback or "") for choice in case.choices]
    return "\n".join(parts)


# -- away from placement without authorisation ---------------------------------------------------

def test_away_from_placement_is_defined_in_full_and_says_what_to_do(responses, scenarios) -> None:
    """It was a label only: 'you know where they are but they are not where they should be'."""
    text = answer(responses, "definitions")
    assert "carer has concerns" in text and "notified to the local authority or the police" in text
    assert "social worker" in text and "Emergency Duty Team" in text
    assert re.search(r"get (the child|them) back safely", text)
    assert "who they are with" in text
    assert re.search(r"report (them|the child) missing[^.]*as soon as you are worried or the risk changes", text)
    explanation = scenarios["away_without_authorisation"].explanation
    assert "concerns" in explanation and "social worker" in explanation
    assert re.search(r"report[^.]*missing[^.]*worried", explanation)
