"""The walkthroughs' answer buttons stay safe when pressed late, and "not sure" is YES to danger.

Checked on the content itself, so a new button or question cannot quietly bring back "Thanks, noted" for a
button of an ended walkthrough: `/immediate_danger` (the 999 answer anywhere) or the walkthrough's mark,
which data/rules/walkthroughs.yml answers with "that walkthrough has ended".
"""
from __future__ import annotations

import json
import re
from typing import Dict, List

import pytest
import yaml

from bot import settings
from bot.content import partnership, topics
from bot.content.render import ROLE_BUTTONS, Renderer

MARK = {"asked_in": "walkthrough"}
DANGER_YES = "/immediate_danger"
QUESTIONS = ["utter_ask_in_immediate_danger", "utter_ask_harmed_or_at_risk", "utter_ask_practitioner_role",
             "utter_ask_care_status", "utter_missing_situation_question", "utter_found_situation_question"]
PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$")


@pytest.fixture(scope="module")
def responses() -> Dict[str, List[dict]]:
    from rasa.core.nlg.interpolator import interpolate_text

    rendered = Renderer(partnership.load("pan_cheshire"), topics.load()).responses()
    return {name: [{**b, "payload": interpolate_text(b["payload"], {})} for b in variations[-1].get("buttons", [])]
            for name, variations in rendered.items()}


def parsed(payload: str) -> tuple:
    match = PAYLOAD.match(payload)
    assert match, payload
    return match.group("intent"), json.loads(match.group("entities") or "{}")


def yaml_file(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_answer_button_is_safe_when_pressed_late(responses, question: str) -> None:
    assert responses[question], f"{question} has no buttons"
    for button in responses[question]:
        intent, entities = parsed(button["payload"])
        assert button["payload"] == DANGER_YES or entities.items() >= MARK.items(), button


@pytest.mark.parametrize("question", ["utter_ask_in_immediate_danger", "utter_ask_harmed_or_at_risk"])
def test_yes_or_not_sure_means_danger_everywhere(responses, question: str) -> None:
    payloads = {button["title"]: button["payload"] for button in responses[question]}
    assert payloads == {"Yes, or I'm not sure": DANGER_YES, "No": '/deny{"asked_in":"walkthrough"}'}


def test_the_role_buttons_are_the_renderer_roles(responses) -> None:
    buttons = [(b["title"], parsed(b["payload"])) for b in responses["utter_ask_practitioner_role"]]
    assert buttons == [(title, ("inform", {"practitioner_role": value, **MARK})) for title, value in ROLE_BUTTONS]


def test_each_kind_of_marked_button_has_its_late_rule(responses) -> None:
    """Rasa's rules match a message's entities exactly: each set of entities needs its own rule."""
    rules = yaml_file(settings.DATA_DIR / "rules" / "walkthroughs.yml")["rules"]
    late = {(rule["steps"][0]["intent"], tuple(sorted(rule["steps"][0].get("entities", []))))
            for rule in rules if rule.get("condition") == [{"active_loop": None}]
            and rule["steps"][1] == {"action": "utter_walkthrough_ended"}}
    kinds = set()
    for question in QUESTIONS:
        for button in responses[question]:
            intent, entities = parsed(button["payload"])
            if entities:
                kinds.add((intent, tuple(sorted(entities))))
    assert kinds and kinds <= late, kinds - late


def test_not_sure_is_yes_to_danger_and_no_is_still_no() -> None:
    domain = yaml_file(settings.DOMAIN_FILE)
    assert "unsure" in domain["intents"] and "asked_in" in domain["entities"]
    for slot in ("in_immediate_danger", "harmed_or_at_risk"):
        values = {intent: mapping["value"] for mapping in domain["slots"][slot]["mappings"]
                  for intent in ([mapping["intent"]] if isinstance(mapping["intent"], str) else mapping["intent"])}
        assert values == {"affirm": True, "immediate_danger": True, "unsure": True, "deny": False}, slot
