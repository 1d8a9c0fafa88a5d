"""Keeps practitioners' words out of Rasa's structured logs.

Rasa 3.6 logs the raw message with some events, at any level (e.g. the REST channel's
"rest.message.received.failure" when handling a message fails). Rasa marks the fields that
may carry conversation content, but only Rasa Pro fills them in; here they are withheld.
"""
from __future__ import annotations

from typing import Any, Dict

import structlog

# The fields Rasa 3.6 itself lists as anonymisable (rasa/utils/log_utils.py).
CONVERSATION_FIELDS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
    "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
    "json_message",
})
WITHHELD = "[withheld]"


def withhold_conversation(_: Any, __: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
    for key in CONVERSATION_FIELDS & event_dict.keys():
        event_dict[key] = WITHHELD
    return event_dict


def install() -> None:
    """Puts the processor first in structlog's chain; loggers already made share that list."""
    processors = structlog.get_config()["processors"]
    if withhold_conversation not in processors:
        processors.insert(0, withhold_conversation)
