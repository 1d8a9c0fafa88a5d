"""One safeguarding partnership's local content: contacts, documents, timescales, and who stands behind them."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bot import settings
from bot.content.pydantic_compat import BaseModel, Extra, Field, root_validator, validator

# The local values every pack must declare (null when unknown). Adding a key
# here makes `python -m bot validate` report it for every partnership.
CONTACT_LABELS: Dict[str, str] = {
    "front_door": "Children's services front door (MASH)",
    "emergency_duty_team": "Emergency Duty Team (out of hours social care)",
    "police_missing_coordinator": "Police missing person coordinator",
    "return_interview_provider": "Return home interview provider",
    "exploitation_team": "Exploitation team",
}
# How an answer names a contact in its "Not yet set up for this area" line.
CONTACT_SHORT: Dict[str, str] = {
    "front_door": "children's services front door",
    "emergency_duty_team": "Emergency Duty Team",
    "police_missing_coordinator": "police missing person coordinator",
    "return_interview_provider": "return home interview provider",
    "exploitation_team": "exploitation team",
}
DOCUMENT_LABELS: Dict[str, str] = {
    "missing_protocol": "local missing from home and care protocol",
    "escalation_policy": "local escalation policy",
    "voice_of_child_toolkit": "Voice of the Child toolkit",
    "risk_assessment_form": "local risk assessment form",
    "referral_pathway": "local missing children referral pathway",
    "training": "local training on missing children",
}
TIMESCALE_LABELS: Dict[str, str] = {
    "strategy_meeting_threshold": "threshold for a strategy meeting after repeat episodes",
    "escalation_stages": "local escalation stages and timescales",
}
TIMESCALE_SHORT: Dict[str, str] = {
    "strategy_meeting_threshold": "strategy meeting threshold",
    "escalation_stages": "escalation stages and timescales",
}
IDENTITY_LABELS: Dict[str, str] = {
    "name": "the partnership's full name",
    "short_name": "the partnership's short name",
    "area": "the area the partnership covers",
    "source_note": "where the pack's details come from",
}
SAFE_ID = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid


def _https(value: str | None) -> str | None:
    if value is not None and not value.startswith("https://"):
        raise ValueError(f"link {value!r} must start with https://")
    return value


class Contact(_Strict):
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    link: str | None = None
    hours: str | None = None

    _link_is_https = validator("link", allow_reuse=True)(_https)

    @validator("phone")
    def _phone_has_digits(cls, value: str | None) -> str | None:
        if value is not None and sum(ch.isdigit() for ch in value) < 3:
            raise ValueError(f"phone {value!r} does not look like a phone number")
        return value

    def reachable(self) -> bool:
        return bool(self.phone or self.email or self.link)


class Document(_Strict):
    name: str | None = Field(...)
    version: str | None = Field(...)
    date: dt.date | None = Field(...)  # the date of this version
    review_due: dt.date | None = Field(...)  # when the partnership must next review it
    valid_until: dt.date | None = None  # the end of a period the document itself states ("2016-2017")
    link: str | None = Field(...)

    _link_is_https = validator("link", allow_reuse=True)(_https)


class Timescales(_Strict):
    strategy_meeting_threshold: str | None = None
    escalation_stages: List[str] | None = None


@dataclass(frozen=True)
class Gap:
    """One thing a pack leaves unset: its key, whose it is, what is missing, what that does to the answers,
    and the placeholder it fills (the answers that use the placeholder are the ones affected)."""

    path: str
    subject: str
    missing: str
    effect: str
    placeholder: str | None = None  # "contact:front_door", "document:escalation_policy", ...

    def __str__(self) -> str:
        return f"{self.path}: {self.subject}: {self.missing}"


PACK = "the pack"
_PACK_EFFECTS = {
    "owner": ("no owner (the role that keeps it up to date)", "nobody is named as keeping the pack current"),
    "review_due": ("no date for its next review", "nothing says when the pack as a whole is out of date"),
    "signed_off": ("not yet signed off by the partnership",
                   "answers that use local details say they are not yet confirmed by the partnership"),
}
_DOCUMENT_EFFECTS = {
    "link": ("no link", "answers name it and say its link is not set up"),
    "version": ("no version", "answers cite it without a version, so a reader cannot tell which edition"),
    "date": ("no date", "answers cite it without the date of its version"),
    "review_due": ("no review date", "nothing says when it is out of date"),
}


class Partnership(_Strict):
    id: str
    name: str
    short_name: str
    area: str
    owner: str | None = Field(...)  # a role, never a person's name
    signed_off: dt.date | None = Field(...)  # the date the partnership signed the pack off
    review_due: dt.date | None = Field(...)  # when the pack as a whole is next reviewed
    source_note: str
    documents: Dict[str, Document]
    contacts: Dict[str, Contact]
    timescales: Timescales

    @root_validator(pre=True)
    def _no_reviewed(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if "reviewed" in values:
            raise ValueError(
                "reviewed: is no longer used: an internal review is not a sign-off. Use signed_off: (the date"
                " the partnership signed the pack off, null until it does) and review_due:"
            )
        return values

    @validator("name", "short_name", "area", "source_note", pre=True)
    def _unset_text_is_empty(cls, value: Any) -> Any:
        return "" if value is None else value

    @validator("id")
    def _safe_id(cls, value: str) -> str:
        if not SAFE_ID.match(value):
            raise ValueError(f"id {value!r}: use 2-40 lower-case letters, digits and _ , starting with a letter")
        return value

    @validator("documents")
    def _known_documents(cls, value: Dict[str, Document]) -> Dict[str, Document]:
        return _check_keys("documents", value, DOCUMENT_LABELS)

    @validator("contacts")
    def _known_contacts(cls, value: Dict[str, Contact]) -> Dict[str, Contact]:
        return _check_keys("contacts", value, CONTACT_LABELS)

    def missing_identity(self) -> List[str]:
        """The top lines every answer needs before the pack can be built."""
        return [key for key in ("name", "short_name", "area") if not getattr(self, key)]

    def gaps(self) -> List[Gap]:
        """Everything this pack leaves unset, pack-wide first."""
        found = [Gap(key, PACK, f"no {key} ({label})", "the pack cannot be built until it is filled in")
                 for key, label in IDENTITY_LABELS.items() if not getattr(self, key)]
        found += [Gap(key, PACK, missing, effect) for key, (missing, effect) in _PACK_EFFECTS.items()
                  if not getattr(self, key)]
        for key, contact in self.contacts.items():
            label, placeholder = CONTACT_LABELS[key], f"contact:{key}"
            if not contact.reachable():
                found.append(Gap(f"contacts.{key}", label, "no phone, e-mail or link",
                                 "answers say its number is not set up", placeholder))
            if not contact.name:
                found.append(Gap(f"contacts.{key}.name", label, "no name", "answers give its details without a name",
                                 placeholder))
        for key, document in self.documents.items():
            label, placeholder = document.name or f"the {DOCUMENT_LABELS[key]}", f"document:{key}"
            if not document.name:
                found.append(Gap(f"documents.{key}.name", label, "no name", "answers say it is not set up",
                                 placeholder))
            found += [Gap(f"documents.{key}.{field}", label, missing, effect, placeholder)
                      for field, (missing, effect) in _DOCUMENT_EFFECTS.items() if not getattr(document, field)]
        for key, label in TIMESCALE_LABELS.items():
            if getattr(self.timescales, key) in (None, [], ""):
                found.append(Gap(f"timescales.{key}", f"the {label}", "not given", "answers say it is not set up",
                                 f"timescale:{key}"))
        return found

    def unset_values(self) -> List[str]:
        """Every gap, as "path: what" lines."""
        return [str(gap) for gap in self.gaps()]


def _check_keys(section: str, value: dict, expected: Dict[str, str]) -> dict:
    missing = sorted(set(expected) - set(value))
    unknown = sorted(set(value) - set(expected))
    if missing or unknown:
        raise ValueError(
            f"{section}: missing keys {missing or 'none'}, unknown keys {unknown or 'none'}"
            " (declare every key, with null when unknown)"
        )
    return value


def available(directory: Path | None = None) -> List[str]:
    return sorted(path.stem for path in (directory or settings.PARTNERSHIPS_DIR).glob("*.yml"))


def path_of(partnership_id: str, directory: Path | None = None) -> Path:
    return (directory or settings.PARTNERSHIPS_DIR) / f"{partnership_id}.yml"


def load(partnership_id: str, directory: Path | None = None, draft: bool = False) -> Partnership:
    """The pack; unless `draft`, one whose name, short name and area are filled in, ready to build."""
    path = path_of(partnership_id, directory)
    if not path.exists():
        raise FileNotFoundError(
            f"No partnership pack {path}. Available: {', '.join(available(directory)) or 'none'}"
        )
    pack = Partnership.parse_obj(yaml.safe_load(path.read_text(encoding="utf-8")))
    if pack.id != partnership_id:
        raise ValueError(f"{path}: id {pack.id!r} does not match the file name")
    if not draft and pack.missing_identity():
        raise ValueError(f"{path}: fill in {', '.join(pack.missing_identity())} before building")
    return pack
