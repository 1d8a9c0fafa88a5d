"""Makes Rasa tracker events safe to store: redacted text, and no free text hidden anywhere else.

Free text can ride along in a button-shaped message ('/inform{"practitioner_role": "Jayden"}'),
in entity and slot values, and in channel metadata. Only values from the assistant's own
vocabulary survive; everything else is redacted or dropped.
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, Callable, Container, Dict, FrozenSet

from bot.content.vocabulary import CARE_STATUSES, CONCERNS, OTHER_ROLE, PRACTITIONER_ROLES, SAFEGUARDING_TERMS

REDACTED_TEXT_KEY = "redacted_text"  # set on parse data by bot.nlu.redaction.RedactPersonalData
REDACTED = "[REDACTED]"


class _ScenarioIds:
    """The quiz's scenario ids (content, not free text), read when first needed."""

    @staticmethod
    @functools.lru_cache(maxsize=1)
    def ids() -> FrozenSet[str]:
        from bot.content.scenarios import load  # late: the content is only read if a quiz button is stored

        try:
            return frozenset(scenario.id for scenario in load())
        except Exception:  # unreadable content: keep nothing rather than fail to store the event
            return frozenset()

    def __contains__(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.ids()


ALLOWED_VALUES: Dict[str, Container[Any]] = {
    "practitioner_role": set(PRACTITIONER_ROLES) | {OTHER_ROLE},
    "role_mention": set(PRACTITIONER_ROLES),
    "asked_role": set(PRACTITIONER_ROLES) | {"none"},
    "care_status": set(CARE_STATUSES),
    "implied_care_status": {"in_care"},
    "concern": set(CONCERNS),
    "asked_in": {"walkthrough"},  # which question a walkthrough button answered
    "safeguarding_term": set(SAFEGUARDING_TERMS),
    # quiz answer buttons: /quiz_answer{"quiz_choice":"b","quiz_question":"2","quiz_scenario":"boy_new_phone"}
    "quiz_choice": set("abcd"),
    "quiz_question": {str(number) for number in range(1, 100)},
    "quiz_scenario": _ScenarioIds(),
}
METADATA_SLOT = "session_started_metadata"
_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z_][\w-]*)(?P<entities>\{.*\})?\s*$", re.DOTALL)


def is_button_payload(text: str) -> bool:
    return text.startswith("/")


def allowed_value(entity: str, value: Any) -> bool:
    return entity not in ALLOWED_VALUES or value in ALLOWED_VALUES[entity]


def safe_payload(text: str) -> str:
    """A button payload as it may be stored: the intent, and only vocabulary entity values."""
    match = _PAYLOAD.match(text)
    if not match:
        return "/" + REDACTED
    kept: Dict[str, Any] = {}
    if match.group("entities"):
        try:
            entities = json.loads(match.group("entities"))
        except ValueError:
            entities = {}
        if isinstance(entities, dict):
            kept = {k: v for k, v in entities.items() if k in ALLOWED_VALUES and allowed_value(k, v)}
    return f"/{match.group('intent')}" + (json.dumps(kept, separators=(",", ":")) if kept else "")


def redacted_user_text(event: Dict[str, Any], redact: Callable[[str], str]) -> str:
    """The stored form of a user message: the pipeline's redaction, else redacted here."""
    text = event.get("text") or ""
    parse_data = event.get("parse_data") or {}
    if parse_data.get(REDACTED_TEXT_KEY) is not None:
        return parse_data[REDACTED_TEXT_KEY]
    return safe_payload(text) if is_button_payload(text) else redact(text)


def safe_slot_value(name: str | None, value: Any) -> Any:
    if name == METADATA_SLOT:
        return None
    return value if allowed_value(name or "", value) else None


def redact_event(event: Dict[str, Any], redact: Callable[[str], str]) -> Dict[str, Any]:
    """A copy of a serialised event that is safe to store."""
    safe = dict(event)
    if event.get("event") == "slot":
        safe["value"] = safe_slot_value(event.get("name"), event.get("value"))
        return safe
    if event.get("event") != "user":
        return safe
    text = redacted_user_text(event, redact)
    safe["text"] = text
    parse_data = dict(event.get("parse_data") or {})
    parse_data["text"] = text
    parse_data[REDACTED_TEXT_KEY] = text
    parse_data.pop("metadata", None)
    parse_data["entities"] = [
        {**entity, "value": entity.get("value") if allowed_value(entity.get("entity", ""), entity.get("value"))
         else REDACTED}
        for entity in parse_data.get("entities") or []
    ]
    safe["parse_data"] = parse_data
    # channel metadata can carry a user's name or e-mail (Teams); none of it is needed later
    safe["metadata"] = {}
    return safe
