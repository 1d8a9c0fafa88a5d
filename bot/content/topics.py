"""The national answer catalogue in data/topics/*.yml."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Dict, List, Union

import yaml

from bot import settings
from bot.content.pydantic_compat import BaseModel, Extra, Field, root_validator, validator

PLACEHOLDER = re.compile(r"\{\{\s*(\w+):(\w+)\s*\}\}")
# The kinds of placeholder a partnership pack fills with a local value ({{partnership:name}} is only a name).
LOCAL_KINDS = {"contact": "contact", "contact_line": "contact", "document": "document", "timescale": "timescale"}


class Button(BaseModel):
    title: str
    payload: str

    class Config:
        extra = Extra.forbid


class Variants(BaseModel):
    """Conditional versions of an answer, chosen by one slot's value."""

    slot: str
    cases: Dict[Any, str]

    class Config:
        extra = Extra.forbid


class Lead(BaseModel):
    """A line put before an answer for one value of one slot ("Placed here by another council: …").

    `instead` gives another line (or none, if empty) when another slot of the same layer has a
    value: a trafficking concern reads differently for an adult care leaver.
    """

    text: str
    sources: List[str]
    checked: dt.date | None = None
    buttons: List[str] = []  # topics to offer first, by intent
    instead: Dict[str, Dict[Any, Lead]] = {}

    class Config:
        extra = Extra.forbid

    def texts(self) -> List[str]:
        return [self.text, *[text for cases in self.instead.values() for lead in cases.values()
                             for text in lead.texts()]]

    def leads(self) -> List[Lead]:
        return [self, *[inner for cases in self.instead.values() for lead in cases.values() for inner in lead.leads()]]


Lead.update_forward_refs()


class Layer(BaseModel):
    """Slots whose lines are put together: when one of `when` has a line, with the lines of `with`."""

    when: List[str]
    together: List[str] = Field([], alias="with")

    class Config:
        extra = Extra.forbid

    @property
    def slots(self) -> List[str]:
        return list(dict.fromkeys([*self.when, *self.together]))


class Tailoring(BaseModel):
    """Lead lines for an answer, by the slots that change what to do first (data/topics/leads.yml).

    `lines` holds each slot's lines by value, in the order they are put. `layers` says which slots are
    combined, to keep the combinations few: the first layer one of whose `when` slots has a line gives
    the lines. So with layers "when concern, with care status" then "when care status or role", a message
    naming a concern gets the concern's and the care status's lines, and otherwise the care status's
    and the role's.
    """

    layers: List[Layer]
    checked: dt.date | None = None  # for lines without their own date
    lines: Dict[str, Dict[Any, Lead]]

    class Config:
        extra = Extra.forbid

    @validator("layers", pre=True, each_item=True)
    def _shorthand(cls, layer: Any) -> Any:
        return {"when": layer} if isinstance(layer, list) else layer  # [a, b]: when a or b

    @root_validator(skip_on_failure=True)
    def _consistent(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        problems = []
        slots = {slot for layer in values["layers"] for slot in layer.slots}
        if slots != set(values["lines"]):
            problems.append(f"the layers name {sorted(slots)} but lines are given for {sorted(values['lines'])}")
        for layer in values["layers"]:
            for slot in layer.slots:
                for lead in values["lines"].get(slot, {}).values():
                    for other in lead.instead:
                        if other not in layer.slots:
                            problems.append(f"a {slot} line gives another line by {other}, which is not in its layer")
        if problems:
            raise ValueError("; ".join(problems))
        return values

    def leads(self) -> List[Lead]:
        return [inner for cases in self.lines.values() for lead in cases.values() for inner in lead.leads()]


class Entry(BaseModel):
    """One answer: a topic (keyed by its intent) or another response."""

    title: str | None = None
    sources: List[str] = []
    checked: dt.date | None = None  # when this answer was last checked against its sources
    answer: str
    buttons: List[Union[str, Button]] = []
    variants: List[Variants] = []
    role_buttons: bool = False
    suggestion_buttons: bool = False
    tailoring: Tailoring | None = None  # from data/topics/leads.yml

    class Config:
        extra = Extra.forbid

    def texts(self) -> List[str]:
        """Every text of the entry that may hold a placeholder."""
        buttons = [button.title for button in self.buttons if isinstance(button, Button)]
        leads = [text for lead in self.tailoring.leads() for text in lead.texts()] if self.tailoring else []
        return [self.answer, *[text for group in self.variants for text in group.cases.values()], *buttons, *leads]

    def local_values(self) -> List[str]:
        """The pack values this entry uses, as "contact:KEY", "document:KEY" or "timescale:KEY", in order.

        A `local:<document>` source counts: the answer cites the pack's document by name.
        """
        found = [f"{LOCAL_KINDS[kind]}:{key}" for text in self.texts()
                 for kind, key in PLACEHOLDER.findall(text) if kind in LOCAL_KINDS]
        found += [f"document:{source.removeprefix('local:')}" for source in self.sources if source.startswith("local:")]
        return list(dict.fromkeys(found))


class Catalogue(BaseModel):
    reviewed: dt.date  # when the national content was last checked, for entries without `checked:`
    sources: Dict[str, str]
    topics: Dict[str, Entry]
    responses: Dict[str, Entry]
    intent_buttons: Dict[str, str]

    @root_validator(skip_on_failure=True)
    def _consistent(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        problems = []
        for key, topic in values["topics"].items():
            if not topic.title:
                problems.append(f"topic {key} has no title")
            if not topic.sources:
                problems.append(f"topic {key} names no source")
        overlap = set(values["topics"]) & set(values["responses"])
        if overlap:
            problems.append(f"keys used as both topic and response: {sorted(overlap)}")
        if problems:
            raise ValueError("; ".join(problems))
        return values

    def button_title(self, intent: str) -> str:
        if intent in self.topics:
            return self.topics[intent].title or intent
        if intent in self.intent_buttons:
            return self.intent_buttons[intent]
        raise KeyError(f"no button title for intent {intent!r}")

    def entries(self) -> Dict[str, Entry]:
        return {**self.topics, **self.responses}

    def uses(self, value: str) -> List[str]:
        """The keys of the entries whose answer uses one pack value ("contact:front_door")."""
        return [key for key, entry in self.entries().items() if value in entry.local_values()]

    def label(self, key: str) -> str:
        """How a person names an entry: its title, or its key in words."""
        entry = self.entries()[key]
        return entry.title or key.replace("_", " ").capitalize()

    def checked(self, entry: Entry) -> dt.date:
        """When the entry's text was last checked against its sources: its own date, else the file-level one."""
        return entry.checked or self.reviewed


def load(directory: Path | None = None) -> Catalogue:
    """Merge every YAML file of the catalogue directory into one Catalogue.

    The `leads` section (lead lines by answer, data/topics/leads.yml) becomes each answer's `tailoring`.
    """
    directory = directory or settings.TOPICS_DIR
    merged: Dict[str, Any] = {"topics": {}, "responses": {}, "intent_buttons": {}, "sources": {}, "leads": {}}
    for path in sorted(directory.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section, value in content.items():
            if section in merged:
                duplicated = set(merged[section]) & set(value)
                if duplicated:
                    raise ValueError(f"{path.name}: {section} {sorted(duplicated)} defined twice")
                merged[section].update(value)
            elif section == "reviewed":
                merged["reviewed"] = value
            else:
                raise ValueError(f"{path.name}: unknown section {section!r}")
    for section in ("topics", "responses"):
        for entry in merged[section].values():
            if isinstance(entry.get("variants"), dict):  # one group may be written without a list
                entry["variants"] = [entry["variants"]]
    for key, tailoring in merged.pop("leads").items():
        entry = merged["topics"].get(key) or merged["responses"].get(key)
        if entry is None:
            raise ValueError(f"leads for {key!r}, which is neither a topic nor a response")
        if entry.get("variants"):
            raise ValueError(f"leads for {key!r}, which already has variants: give it one or the other")
        entry["tailoring"] = tailoring
    return Catalogue.parse_obj(merged)
