"""Fills the national answers with one partnership's local values -> Rasa domain responses.

Runs at build time, so answers live in the trained model and still come when
the action server is down. A local value that is not configured is said
honestly, never guessed.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from bot.content.partnership import CONTACT_LABELS, DOCUMENT_LABELS, Partnership
from bot.content.topics import Button, Catalogue, Entry

NOT_SET_UP = "your local number has not been set up — ask your safeguarding lead"
LINK_NOT_SET_UP = "link not set up — ask your safeguarding lead"
VALUE_NOT_SET_UP = "not set up for your area — ask your safeguarding lead"
PLACEHOLDER = re.compile(r"\{\{\s*(\w+):(\w+)\s*\}\}")

ROLE_BUTTONS = [
    ("Police", "police"),
    ("Children's social care", "social_care"),
    ("Foster or residential carer", "carer"),
    ("School / DSL", "school"),
    ("Health", "health"),
    ("Youth justice", "youth_justice"),
    ("Other", "other"),
]
SUGGESTION_SLOTS = 3
FEEDBACK_BUTTONS = [
    {"title": "👍 Helpful", "payload": "/feedback_helpful"},
    {"title": "👎 Not helpful", "payload": "/feedback_not_helpful"},
]


def literal(text: str) -> str:
    """Escapes braces so Rasa's slot interpolation leaves the text as it is."""
    return text.replace("{", "{{").replace("}", "}}")


class Renderer:
    def __init__(self, partnership: Partnership, catalogue: Catalogue) -> None:
        self.partnership = partnership
        self.catalogue = catalogue

    # -- placeholders -------------------------------------------------------
    def fill(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda match: self._value(match.group(1), match.group(2)), text)

    def _value(self, kind: str, key: str) -> str:
        if kind == "contact":
            return self._contact(key)
        if kind == "contact_line":
            return f"{CONTACT_LABELS[key]}: {self._contact(key)}"
        if kind == "document":
            return self._document(key)
        if kind == "timescale":
            return self._timescale(key)
        if kind == "partnership" and key in ("name", "short_name", "area"):
            return str(getattr(self.partnership, key))
        raise KeyError(f"unknown placeholder {{{{{kind}:{key}}}}}")

    def _contact(self, key: str) -> str:
        contact = self.partnership.contacts[key]
        reach = [part for part in (contact.phone, contact.email, contact.link) if part]
        if contact.hours and reach:
            reach.append(contact.hours)
        if contact.name and reach:
            return f"{contact.name}, {', '.join(reach)}"
        if reach:
            return ", ".join(reach)
        if contact.name:
            return f"{contact.name} ({NOT_SET_UP})"
        return NOT_SET_UP

    def _document(self, key: str) -> str:
        document = self.partnership.documents[key]
        name = document.name or f"{DOCUMENT_LABELS[key]} (not set up here — ask your safeguarding lead)"
        if not document.name:
            return name
        return f"{name}: {document.link}" if document.link else f"{name} ({LINK_NOT_SET_UP})"

    def _timescale(self, key: str) -> str:
        value = getattr(self.partnership.timescales, key)
        if not value:
            return VALUE_NOT_SET_UP
        return "; ".join(value) if isinstance(value, list) else str(value)

    # -- sources ------------------------------------------------------------
    def source_line(self, entry: Entry) -> str:
        if not entry.sources:
            return ""
        names: List[str] = []
        uses_local = False
        for source in entry.sources:
            if source.startswith("local:"):
                uses_local = True
                name = self.partnership.documents[source.removeprefix("local:")].name
                names.append(name or f"{self.partnership.name} local content")
            else:
                names.append(self.catalogue.sources[source])
        reviewed = self.catalogue.reviewed
        if uses_local:
            reviewed = min(reviewed, self.partnership.reviewed)
        unique = list(dict.fromkeys(names))
        return f"Source: {'; '.join(unique)}. Last reviewed {reviewed:%d %B %Y}."

    # -- responses ----------------------------------------------------------
    def buttons(self, entry: Entry) -> List[Dict[str, str]]:
        rendered = []
        for button in entry.buttons:
            if isinstance(button, Button):
                rendered.append({"title": literal(self.fill(button.title)), "payload": literal(button.payload)})
            else:
                rendered.append({"title": self.catalogue.button_title(button), "payload": f"/{button}"})
        if entry.role_buttons:
            rendered += [
                {"title": title, "payload": literal(f'/inform{{"practitioner_role":"{value}"}}')}
                for title, value in ROLE_BUTTONS
            ]
        if entry.suggestion_buttons:
            # Filled by Rasa from slots that the TopicSuggester component sets.
            rendered += [
                {"title": f"{{suggestion_{n}_title}}", "payload": f"/{{suggestion_{n}}}"}
                for n in range(1, SUGGESTION_SLOTS + 1)
            ]
            rendered.append({"title": "None of these", "payload": "/none_of_these"})
        return rendered

    def response(self, entry: Entry, ask_feedback: bool = False) -> List[Dict[str, Any]]:
        """Rasa response variations: the conditional ones first, then the default."""
        footer = self.source_line(entry)
        buttons = self.buttons(entry) + (FEEDBACK_BUTTONS if ask_feedback else [])

        def variation(text: str) -> Dict[str, Any]:
            body = self.fill(text).strip()
            rendered: Dict[str, Any] = {"text": f"{body}\n\n{footer}" if footer else body}
            if buttons:
                rendered["buttons"] = buttons
            return rendered

        variations = []
        for variants in entry.variants:
            for value, text in variants.cases.items():
                conditional = variation(text)
                conditional["condition"] = [{"type": "slot", "name": variants.slot, "value": value}]
                variations.append(conditional)
        variations.append(variation(entry.answer))
        return variations

    def responses(self) -> Dict[str, List[Dict[str, Any]]]:
        return {
            f"utter_{key}": self.response(entry, ask_feedback=key in self.catalogue.topics)
            for key, entry in self.catalogue.entries().items()
        }
