"""The lead lines a labelled message's situation should bring to its answer, for the evaluation's "right":
a message that names a situation (who is typing, the child's care status, a concern) is answered right only
when the answer includes that situation's line, where the topic has one (data/topics/leads.yml).

Labels are those of tests/understanding/TOPICS.md; the lines are chosen as the build chooses them
(bot/content/render.py): the first layer with a line for the labelled situation gives all its slots' lines.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Tuple

from bot.content.render import domain_slot_values, lead_for
from bot.content.topics import Catalogue

# TOPICS.md labels that the slots (domain.yml) name differently; a label with no slot value is not tailored.
CARE_STATUS_SLOT = {"care_leaver": "care_leaver_adult"}
ROLE_SLOT = {"residential": "carer"}
CONCERN_SLOTS = ("exploitation", "trafficking", "hospital", "education")  # mental_health has no line of its own
# Enough of a line to recognise it in a reply, before any placeholder the partnership fills.
RECOGNISED_LENGTH = 60


def situation_states(care_status: str | None, role: str | None, concerns: Tuple[str, ...]) -> List[Dict[str, Any]]:
    """The slot states the labels allow: one per labelled concern (the assistant keeps one), else one.

    A label that is not a slot value (after the renames above) is refused, never silently ignored.
    """
    base = {"care_status": CARE_STATUS_SLOT.get(care_status, care_status) if care_status else None,
            "practitioner_role": ROLE_SLOT.get(role, role) if role else None, "concern": None}
    known = _slot_values()
    for slot in ("care_status", "practitioner_role"):
        if base[slot] is not None and base[slot] not in known[slot]:
            raise ValueError(f"unknown {slot} label: {base[slot]!r}")
    named = [concern for concern in concerns if concern in CONCERN_SLOTS]
    return [{**base, "concern": concern} for concern in named] or [base]


@lru_cache(maxsize=1)
def _slot_values() -> Dict[str, List[Any]]:
    return domain_slot_values()


def fragment(line: str) -> str:
    """The start of a line, up to any placeholder, whitespace and markdown flattened."""
    before_placeholder = line.split("{{", 1)[0]
    return normalise(before_placeholder)[:RECOGNISED_LENGTH].strip()


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "").replace("_", " ")).strip().lower()


def expected_lines(catalogue: Catalogue, topic: str, care_status: str | None, role: str | None,
                   concerns: Tuple[str, ...]) -> List[List[str]]:
    """Alternatives, each the fragments of the lines one allowed state brings; [] if nothing is tailored."""
    entry = catalogue.entries().get(topic)
    if entry is None or entry.tailoring is None:
        return []
    tailoring = entry.tailoring
    alternatives = []
    for state in situation_states(care_status, role, concerns):
        for layer in tailoring.layers:
            if any(lead_for(tailoring, slot, state) for slot in layer.when):
                leads = [lead_for(tailoring, slot, state) for slot in tailoring.lines if slot in layer.slots]
                alternatives.append([fragment(lead.text) for lead in leads if lead])
                break
    return [lines for lines in alternatives if lines]


def includes_any(reply_text: str, alternatives: List[List[str]]) -> bool:
    flat = normalise(reply_text)
    return not alternatives or any(all(line in flat for line in lines) for lines in alternatives)
