"""Redacts Rasa tracker events before they are stored: user text, and nothing personal kept besides."""
from __future__ import annotations

from typing import Any, Callable, Dict

REDACTED_TEXT_KEY = "redacted_text"  # set on parse data by bot.nlu.redaction.RedactPersonalData


def is_button_payload(text: str) -> bool:
    return text.startswith("/")


def redacted_user_text(event: Dict[str, Any], redact: Callable[[str], str]) -> str:
    """The stored form of a user message: the pipeline's redaction, else redacted here."""
    text = event.get("text") or ""
    parse_data = event.get("parse_data") or {}
    if parse_data.get(REDACTED_TEXT_KEY) is not None:
        return parse_data[REDACTED_TEXT_KEY]
    return text if is_button_payload(text) else redact(text)


def redact_event(event: Dict[str, Any], redact: Callable[[str], str]) -> Dict[str, Any]:
    """A copy of a serialised event that is safe to store."""
    if event.get("event") != "user":
        return dict(event)
    safe = dict(event)
    text = redacted_user_text(event, redact)
    safe["text"] = text
    parse_data = dict(event.get("parse_data") or {})
    parse_data["text"] = text
    parse_data[REDACTED_TEXT_KEY] = text
    parse_data.pop("metadata", None)
    safe["parse_data"] = parse_data
    # channel metadata can carry a user's name or e-mail (Teams); none of it is needed later
    safe["metadata"] = {}
    return safe
