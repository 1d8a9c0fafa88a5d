"""Checks the content packs: errors stop a build, unset local values are listed."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import List

import yaml

from bot import settings
from bot.content import partnership as partnerships
from bot.content import topics
from bot.content.currency import overdue
from bot.content.followup import ACTION_ONLY_RESPONSES
from bot.content.phone_numbers import allowed_numbers, invented_numbers
from bot.content.render import Renderer, domain_slot_values

MIN_EXAMPLES_PER_INTENT = 25
# Reached only by pressing a button (the payload names the intent), never typed: no examples needed.
# Typed "that helped" is simply thanks; a separate intent for it only confused the classifier.
# Set by an NLU component, never learnt from examples: "still missing or found?" (bot/nlu/child_state.py).
BUTTON_ONLY_INTENTS = {"feedback_helpful", "feedback_not_helpful", "quiz_answer", "child_state_unclear"}


@dataclass
class Report:
    errors: List[str] = field(default_factory=list)
    unset: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)  # overdue local guidance: the build still passes


def _domain_intents() -> List[str]:
    return yaml.safe_load(settings.DOMAIN_FILE.read_text(encoding="utf-8"))["intents"]


def _nlu_example_counts() -> dict:
    counts: dict = {}
    for path in sorted((settings.DATA_DIR / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                lines = [line for line in item["examples"].splitlines() if line.strip()]
                counts[item["intent"]] = counts.get(item["intent"], 0) + len(lines)
    return counts


def check_catalogue(catalogue: topics.Catalogue) -> List[str]:
    errors = []
    intents = set(_domain_intents())
    counts = _nlu_example_counts()
    for intent in catalogue.topics:
        if intent not in intents:
            errors.append(f"topic {intent} is not an intent in domain.yml")
    for intent in intents - BUTTON_ONLY_INTENTS:
        if counts.get(intent, 0) < MIN_EXAMPLES_PER_INTENT:
            errors.append(f"intent {intent} has {counts.get(intent, 0)} NLU examples (< {MIN_EXAMPLES_PER_INTENT})")
    for key, entry in catalogue.entries().items():
        for source in entry.sources:
            if not source.startswith("local:") and source not in catalogue.sources:
                errors.append(f"{key}: unknown source {source!r}")
        for button in entry.buttons:
            if isinstance(button, str) and button not in intents:
                errors.append(f"{key}: button for unknown intent {button!r}")
        if entry.tailoring:
            errors += check_leads(key, entry.tailoring, catalogue, intents)
    return errors


def check_leads(key: str, tailoring: topics.Tailoring, catalogue: topics.Catalogue, intents: set) -> List[str]:
    """Lead lines name slots and values that domain.yml has, known sources, and topics that exist."""
    errors = []
    slot_values = domain_slot_values()
    for slot, cases in tailoring.lines.items():
        if slot not in slot_values:
            errors.append(f"{key}: lead lines for {slot!r}, which is not a categorical slot of domain.yml")
            continue
        for value, lead in cases.items():
            if value not in slot_values[slot]:
                errors.append(f"{key}: lead line for {slot}={value!r}, which the slot cannot hold")
            for other, others in lead.instead.items():
                unknown = [v for v in others if v not in slot_values.get(other, [])]
                if unknown:
                    errors.append(f"{key}: {slot}={value} has another line for {other}={unknown}, which it cannot hold")
            for inner in lead.leads():
                if inner.text.strip() and not inner.sources:
                    errors.append(f"{key}: the {slot}={value} line names no source")
                for source in inner.sources:
                    if not source.startswith("local:") and source not in catalogue.sources:
                        errors.append(f"{key}: {slot}={value} line: unknown source {source!r}")
                for button in inner.buttons:
                    if button not in intents:
                        errors.append(f"{key}: {slot}={value} line: button for unknown intent {button!r}")
    return errors


def check_partnership(pack_id: str, catalogue: topics.Catalogue, today: dt.date | None = None) -> Report:
    """Errors stop a build; unset values are listed; overdue guidance is a warning, as of `today`."""
    report = Report()
    today = today or dt.date.today()
    try:
        pack = partnerships.load(pack_id)
    except Exception as error:  # a broken pack is reported, not raised
        report.errors.append(f"{pack_id}: {error}")
        return report
    if pack.signed_off and pack.signed_off > today:
        report.errors.append(f"{pack_id}: signed_off {pack.signed_off} is in the future: give the day it was signed")
    try:
        responses = Renderer(pack, catalogue, today).responses()
    except KeyError as error:
        report.errors.append(f"{pack_id}: {error}")
        return report
    for name, variations in responses.items():
        for variation in variations:
            if "{" in variation["text"] or "}" in variation["text"]:
                report.errors.append(f"{pack_id}: {name} has an unfilled placeholder")
    allowed = allowed_numbers(pack)
    for name, variations in responses.items():
        for variation in variations:
            for number in invented_numbers(variation["text"], allowed):
                report.errors.append(f"{pack_id}: {name} gives a number not in the pack: {number}")
    report.unset = pack.unset_values()
    report.warnings = [f"overdue: {item}" for item in overdue(pack, today)]
    return report


def validate(pack_ids: List[str], catalogue: topics.Catalogue | None = None) -> dict:
    """Validation results keyed by partnership id ('catalogue' for national content)."""
    if catalogue is None:
        try:
            catalogue = topics.load()
        except Exception as error:
            return {"catalogue": Report(errors=[str(error)])}
    results = {"catalogue": Report(errors=check_catalogue(catalogue))}
    for pack_id in pack_ids:
        results[pack_id] = check_partnership(pack_id, catalogue)
    return results


RASA_WARNING = re.compile(r"(?:UserWarning|WARNING): (.*)")
FORM_ASK_UNUSED = re.compile(r"The utterance 'utter_ask_(\w+)' is not used in any story or rule\.")
UNUSED_RESPONSE = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule\.")
NO_EXAMPLES = re.compile(
    r"The intent '(\w+)' is listed in the domain file, but is not found in the NLU training data\."
)


def form_slots() -> set:
    forms = yaml.safe_load(settings.DOMAIN_FILE.read_text(encoding="utf-8")).get("forms", {})
    return {slot for form in forms.values() for slot in form.get("required_slots", [])}


def unexpected_rasa_warnings(log: str) -> List[str]:
    """Warnings from `rasa data validate`, less two that are expected here.

    Rasa 3.6's validator reports a form's `utter_ask_<slot>` responses, and responses
    only a custom action says, as unused because no rule names them, and button-only
    intents as lacking examples; every other warning counts.
    """
    slots = form_slots()
    warnings = []
    for match in RASA_WARNING.finditer(log):
        ask = FORM_ASK_UNUSED.search(match.group(1))
        button_only = NO_EXAMPLES.search(match.group(1))
        unused = UNUSED_RESPONSE.search(match.group(1))
        if ask and ask.group(1) in slots or button_only and button_only.group(1) in BUTTON_ONLY_INTENTS:
            continue
        if unused and unused.group(1) in ACTION_ONLY_RESPONSES:  # said by a custom action
            continue
        warnings.append(match.group(1))
    return warnings
