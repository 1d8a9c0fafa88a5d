"""Fills the national answers with one partnership's local values -> Rasa domain responses.

Runs at build time, so answers live in the trained model and still come when
the action server is down. A local value that is not configured is said
honestly, never guessed: briefly where it belongs ("the Emergency Duty Team
(number not set up)"), and in one line after the answer listing what is not
set up. Answers that use local details also say how current they are.

Answers that depend on who is asking or on the child's situation get Rasa
conditional response variations over the slots that change them: an entry's
`variants` (whole texts by one slot's value), or its lead lines from
data/topics/leads.yml (lines put before the general answer). Rasa picks at random
among the variations whose conditions all match, and takes the one without a
condition when none does; so the conditions are built to be mutually exclusive,
and exactly one variation fits any state of the slots (`partition`).
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Tuple

import yaml

from bot import settings
from bot.content.currency import DUE_FOR_REVIEW, long_date, overdue
from bot.content.partnership import CONTACT_LABELS, CONTACT_SHORT, DOCUMENT_LABELS, TIMESCALE_SHORT, Partnership
from bot.content.topics import Button, Catalogue, Entry, Lead, Tailoring

NUMBER_NOT_SET_UP = "number not set up"
LINK_NOT_SET_UP = "link not set up"
NOT_SET_UP = "not set up"
NOT_CONFIRMED = "Local details are not yet confirmed by the safeguarding children partnership."
# A placeholder with what may surround it: a colon before it, or brackets around it.
PLACEHOLDER_IN_TEXT = re.compile(r"(?P<colon>: )?(?P<open>\()?\{\{\s*(?P<kind>\w+):(?P<key>\w+)\s*\}\}(?P<close>\))?")

ROLE_BUTTONS = [
    ("Police", "police"),
    ("Children's social care", "social_care"),
    ("Foster or residential carer", "carer"),
    ("School / DSL", "school"),
    ("Health", "health"),
    ("Youth justice", "youth_justice"),
    ("Emergency Duty Team (EDT)", "edt"),
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


# With no number for children's social care, a practitioner can still reach them through the police.
SOCIAL_CARE_GAPS = {f"{CONTACT_SHORT[key]} number" for key in ("front_door", "emergency_duty_team")}
SOCIAL_CARE_THROUGH_POLICE = ("Can't reach children's social care and worried about a child? Tell the police (999 in"
                              " immediate danger, otherwise 101): police notify children's social care when a child"
                              " is reported missing.")


def not_set_up_line(gaps: List[str]) -> str:
    line = f"Not yet set up for this area: {', '.join(gaps)} — ask your safeguarding lead."
    return f"{line} {SOCIAL_CARE_THROUGH_POLICE}" if SOCIAL_CARE_GAPS & set(gaps) else line


@dataclass(frozen=True)
class Value:
    """A filled placeholder: as it reads in a sentence, inside brackets, and what it leaves unset."""

    text: str
    bracketed: str
    gap: str | None = None

    @classmethod
    def given(cls, text: str) -> Value:
        return cls(text, text)

    @classmethod
    def missing(cls, gap: str, name: str | None, note: str) -> Value:
        if name:
            return cls(f"{name} ({note})", f"{name}, {note}", gap)
        return cls(f"({note})", note, gap)


def _with_article(name: str) -> str:
    return name if name.lower().startswith("the ") else f"the {name}"


def domain_slot_values(domain_file: Path | None = None) -> Dict[str, List[Any]]:
    """The values each categorical or boolean slot of domain.yml can hold."""
    slots = yaml.safe_load((domain_file or settings.DOMAIN_FILE).read_text(encoding="utf-8"))["slots"]
    values: Dict[str, List[Any]] = {}
    for name, slot in slots.items():
        if slot.get("type") == "categorical":
            values[name] = list(slot.get("values") or [])
        elif slot.get("type") == "bool":
            values[name] = [True, False]
    return values


Condition = Dict[str, Any]  # slot name -> the value it must have (None: not set)
CARE_STATUS = "care_status"
IMPLIED_CARE_STATUS = "implied_care_status"
IN_CARE = "in_care"


def partition(layers: Sequence[Sequence[str]], states: Dict[str, List[Any]],
              applies: Callable[[int, Dict[str, Any]], bool]) -> List[Tuple[int, Condition]]:
    """Mutually exclusive slot conditions, one per distinct case.

    For every combination of the slots' states, the first layer that applies decides (`applies(i, state)`
    may read only layer i's slots: its `when` slots, and those their lines depend on). Its condition fixes
    that layer's slots and every earlier layer's, so two conditions always differ in some slot's value.
    Combinations where no layer applies get no condition: Rasa gives them the variation without one.
    """
    slots = list(dict.fromkeys(slot for layer in layers for slot in layer))
    found: Dict[Tuple, Tuple[int, Condition]] = {}
    for combination in itertools.product(*(states[slot] for slot in slots)):
        state = dict(zip(slots, combination, strict=True))
        for index, layer in enumerate(layers):
            if applies(index, state):
                fixed = list(dict.fromkeys([*layer, *(slot for earlier in layers[:index] for slot in earlier)]))
                condition = {slot: state[slot] for slot in fixed}
                found.setdefault((index, tuple(condition.items())), (index, condition))
                break
    return list(found.values())


def lead_for(tailoring: Tailoring, slot: str, state: Dict[str, Any]) -> Lead | None:
    """The line for a slot's value in this state, after any `instead`; None if there is none."""
    lead = tailoring.lines.get(slot, {}).get(state.get(slot))
    if lead is None:
        return None
    for other, cases in lead.instead.items():
        if state.get(other) in cases:
            lead = cases[state[other]]
            break
    return lead if lead.text.strip() else None


def with_leads(answer: str, lines: List[str]) -> str:
    """The answer with lead lines put first, after its opening line if that one sends to 999."""
    body = answer.strip().splitlines()
    if body and "999" in body[0]:
        return "\n".join([body[0], *lines, *body[1:]])
    return "\n".join([*lines, *body])


def with_implied_care(condition: Condition) -> List[Condition]:
    """The condition, and where it is a child in care's, the same for a care status only implied.

    A foster carer's or home's name implies a child in care (slot implied_care_status); a care status said
    (slot care_status) always wins. Cases with care_status unset are split on the implied slot, so exactly
    one variation still matches every state of the slots.
    """
    if CARE_STATUS not in condition:
        return [condition]
    if condition[CARE_STATUS] is None:
        return [{**condition, IMPLIED_CARE_STATUS: None}]
    if condition[CARE_STATUS] == IN_CARE:
        return [condition, {**condition, CARE_STATUS: None, IMPLIED_CARE_STATUS: IN_CARE}]
    return [condition]


def condition_items(condition: Condition) -> List[Dict[str, Any]]:
    """Rasa's condition list, set slots first (readers take the first item as the case's value)."""
    ordered = sorted(condition.items(), key=lambda item: item[1] is None)
    return [{"type": "slot", "name": slot, "value": value} for slot, value in ordered]


class Renderer:
    def __init__(self, partnership: Partnership, catalogue: Catalogue, today: dt.date | None = None,
                 slot_values: Dict[str, List[Any]] | None = None) -> None:
        self.partnership = partnership
        self.catalogue = catalogue
        self.today = today or dt.date.today()  # answers are built: "overdue" is as of the build
        self.overdue = overdue(partnership, self.today)
        self.slot_values = slot_values if slot_values is not None else domain_slot_values()

    # -- placeholders -------------------------------------------------------
    def fill(self, text: str) -> str:
        return self.fill_listing(text)[0]

    def fill_listing(self, text: str) -> Tuple[str, List[str]]:
        """The text with its placeholders filled, and what it needed that is not set up."""
        gaps: List[str] = []

        def replace(match: re.Match) -> str:
            value = self._value(match.group("kind"), match.group("key"))
            if value.gap:
                gaps.append(value.gap)
            colon, opened, closed = match.group("colon") or "", match.group("open") or "", match.group("close") or ""
            inside = bool(opened or closed)  # already in brackets: no second pair
            if colon and value.text.startswith("("):  # "Team: (number not set up)" reads "Team (number not set up)"
                colon = ", " if inside else " "
            return f"{colon}{opened}{value.bracketed}{closed}" if inside else f"{colon}{value.text}"

        return PLACEHOLDER_IN_TEXT.sub(replace, text), list(dict.fromkeys(gaps))

    def _value(self, kind: str, key: str) -> Value:
        if kind == "contact":
            return self._contact(key)
        if kind == "contact_line":
            value, label = self._contact(key), CONTACT_LABELS[key]
            shown = NOT_SET_UP if value.text == f"({NUMBER_NOT_SET_UP})" else value.text
            return Value(f"{label}: {shown}", f"{label}: {value.bracketed}", value.gap)
        if kind == "document":
            return self._document(key)
        if kind == "timescale":
            return self._timescale(key)
        if kind == "partnership" and key in ("name", "short_name", "area"):
            return Value.given(str(getattr(self.partnership, key)))
        raise KeyError(f"unknown placeholder {{{{{kind}:{key}}}}}")

    def _contact(self, key: str) -> Value:
        contact = self.partnership.contacts[key]
        reach = [part for part in (contact.phone, contact.email, contact.link) if part]
        if not reach:
            return Value.missing(f"{CONTACT_SHORT[key]} number", contact.name, NUMBER_NOT_SET_UP)
        if contact.hours:
            reach.append(contact.hours)
        return Value.given(f"{contact.name}, {', '.join(reach)}" if contact.name else ", ".join(reach))

    def _document(self, key: str) -> Value:
        document = self.partnership.documents[key]
        if not document.name:
            label = DOCUMENT_LABELS[key]
            return Value(f"{label} ({NOT_SET_UP})", f"{label}, {NOT_SET_UP}", label)
        if not document.link:
            return Value.missing(f"link to {_with_article(document.name)}", document.name, LINK_NOT_SET_UP)
        return Value.given(f"{document.name}: {document.link}")

    def _timescale(self, key: str) -> Value:
        value = getattr(self.partnership.timescales, key)
        if not value:
            return Value.missing(TIMESCALE_SHORT[key], None, NOT_SET_UP)
        return Value.given("; ".join(value) if isinstance(value, list) else str(value))

    # -- sources and currency -----------------------------------------------
    def _cited(self, key: str) -> str | None:
        """A local document as a source, with its own version and date; None when the pack does not name it
        (the answer already says it is not set up)."""
        document = self.partnership.documents[key]
        if not document.name:
            return None
        edition = [part for part in (document.version, document.date and long_date(document.date)) if part]
        return f"{document.name} ({', '.join(edition)})" if edition else document.name

    def source_line(self, entry: Entry) -> str:
        """The national sources with the date the answer was checked against them, then the partnership's own
        documents by name: they are the partnership's, and were not checked here."""
        national = list(dict.fromkeys(self.catalogue.sources[source] for source in entry.sources
                                      if not source.startswith("local:")))
        local = list(dict.fromkeys(name for source in entry.sources if source.startswith("local:")
                                   for name in [self._cited(source.removeprefix("local:"))] if name))
        parts = []
        if national:
            checked = long_date(self.catalogue.checked(entry))
            parts.append(f"Source: {'; '.join(national)}. Checked against these sources on {checked}.")
        if local:
            label = "Local document" if len(local) == 1 else "Local documents"
            parts.append(f"{label} (the partnership's own, not checked here): {'; '.join(local)}.")
        if not national and parts:
            return f"Source: {parts[0][0].lower()}{parts[0][1:]}"
        return " ".join(parts)

    def with_lead_lines(self, entry: Entry, leads: List[Lead]) -> Entry:
        """The entry as one tailored variation: its answer after the lines, citing the lines' sources too,
        checked as of the oldest check among them, and offering the lines' topics first."""
        default = (entry.tailoring and entry.tailoring.checked) or self.catalogue.reviewed
        checked = min([self.catalogue.checked(entry), *(lead.checked or default for lead in leads)])
        first = list(dict.fromkeys(button for lead in leads for button in lead.buttons))
        return entry.copy(update={
            "answer": with_leads(entry.answer, [lead.text.strip() for lead in leads]),
            "sources": list(dict.fromkeys([*entry.sources, *(source for lead in leads for source in lead.sources)])),
            "checked": checked,
            "buttons": [*first, *(button for button in entry.buttons if button not in first)],
            "tailoring": None,
        })

    def currency_lines(self, entry: Entry) -> List[str]:
        """A line naming each local document the answer uses whose date has passed; the general line when the
        pack itself is overdue, or when something else in it is and the answer names nothing."""
        used = {value.removeprefix("document:") for value in entry.local_values() if value.startswith("document:")}
        named = list(dict.fromkeys(item.notice() for item in self.overdue if item.document in used))
        rest = [item for item in self.overdue if item.document not in used]
        general = any(item.document is None for item in rest) or bool(rest and not named)
        return named + ([DUE_FOR_REVIEW] if general else [])

    def confirmation_line(self) -> str:
        signed_off = self.partnership.signed_off
        if not signed_off:
            return NOT_CONFIRMED
        return f"Local details signed off by the safeguarding children partnership on {long_date(signed_off)}."

    def footer(self, entry: Entry, gaps: List[str]) -> List[str]:
        """The lines after an answer: what is not set up, whether local guidance is due for review,
        the sources and their check date, and whether the partnership has confirmed the local details."""
        local = bool(entry.local_values())
        lines = [not_set_up_line(gaps)] if gaps else []
        if local:
            lines += self.currency_lines(entry)
        if self.source_line(entry):
            lines.append(self.source_line(entry))
        if local:
            lines.append(self.confirmation_line())
        return lines

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

    def states(self, slot: str) -> List[Any]:
        """Every value a slot's condition can test: not set, then the domain's values."""
        if slot not in self.slot_values:
            raise KeyError(f"slot {slot!r} is not a categorical or boolean slot of domain.yml")
        return [None, *self.slot_values[slot]]

    def response(self, entry: Entry, ask_feedback: bool = False) -> List[Dict[str, Any]]:
        """Rasa response variations: the conditional ones first, then the default."""
        feedback = FEEDBACK_BUTTONS if ask_feedback else []

        def variation(shown: Entry, text: str, condition: Condition | None = None) -> Dict[str, Any]:
            body, gaps = self.fill_listing(text)
            footer = "\n".join(self.footer(shown, gaps))
            rendered: Dict[str, Any] = {"text": f"{body.strip()}\n\n{footer}" if footer else body.strip()}
            buttons = self.buttons(shown) + feedback
            if buttons:
                rendered["buttons"] = buttons
            if condition is not None:
                rendered["condition"] = condition_items(condition)
            return rendered

        variations = []
        if entry.tailoring:
            tailoring = entry.tailoring
            layers = tailoring.layers
            states = {slot: self.states(slot) for layer in layers for slot in layer.slots}

            def leads(index: int, state: Dict[str, Any]) -> List[Lead]:
                return [lead for slot in tailoring.lines if slot in layers[index].slots
                        for lead in [lead_for(tailoring, slot, state)] if lead]

            def applies(index: int, state: Dict[str, Any]) -> bool:
                return any(lead_for(tailoring, slot, state) for slot in layers[index].when)

            for index, condition in partition([layer.slots for layer in layers], states, applies):
                shown = self.with_lead_lines(entry, leads(index, condition))
                for case in with_implied_care(condition):
                    variations.append(variation(shown, shown.answer, case))
        elif len(entry.variants) == 1:
            variants = entry.variants[0]
            for value, text in variants.cases.items():
                variations.append(variation(entry, text, {variants.slot: value}))
        elif entry.variants:  # the first group whose slot has a case wins
            groups = entry.variants
            states = {group.slot: self.states(group.slot) for group in groups}
            for index, condition in partition([[group.slot] for group in groups], states,
                                              lambda i, state: state[groups[i].slot] in groups[i].cases):
                variations.append(variation(entry, groups[index].cases[condition[groups[index].slot]], condition))
        variations.append(variation(entry, entry.answer))
        return variations

    def responses(self) -> Dict[str, List[Dict[str, Any]]]:
        return {
            f"utter_{key}": self.response(entry, ask_feedback=key in self.catalogue.topics)
            for key, entry in self.catalogue.entries().items()
        }
