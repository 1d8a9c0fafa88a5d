"""One safeguarding partnership's local content: contacts, documents and timescales."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Dict, List

import yaml
from pydantic import BaseModel, Extra, validator

from bot import settings

# The local values every pack must declare (null when unknown). Adding a key
# here makes `python -m bot validate` report it for every partnership.
CONTACT_LABELS: Dict[str, str] = {
    "front_door": "Children's services front door (MASH)",
    "emergency_duty_team": "Emergency Duty Team (out of hours social care)",
    "police_missing_coordinator": "Police missing person coordinator",
    "return_interview_provider": "Return home interview provider",
    "exploitation_team": "Exploitation team",
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


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid


class Contact(_Strict):
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    link: str | None = None
    hours: str | None = None

    @validator("phone")
    def _phone_has_digits(cls, value: str | None) -> str | None:
        if value is not None and sum(ch.isdigit() for ch in value) < 3:
            raise ValueError(f"phone {value!r} does not look like a phone number")
        return value


class Document(_Strict):
    name: str | None = None
    link: str | None = None


class Timescales(_Strict):
    strategy_meeting_threshold: str | None = None
    escalation_stages: List[str] | None = None


class Partnership(_Strict):
    id: str
    name: str
    short_name: str
    area: str
    reviewed: dt.date
    source_note: str
    documents: Dict[str, Document]
    contacts: Dict[str, Contact]
    timescales: Timescales

    @validator("documents")
    def _known_documents(cls, value: Dict[str, Document]) -> Dict[str, Document]:
        return _check_keys("documents", value, DOCUMENT_LABELS)

    @validator("contacts")
    def _known_contacts(cls, value: Dict[str, Contact]) -> Dict[str, Contact]:
        return _check_keys("contacts", value, CONTACT_LABELS)

    def unset_values(self) -> List[str]:
        """Every local value this pack leaves unconfigured, as dotted paths."""
        unset = []
        for key, contact in self.contacts.items():
            if not contact.phone and not contact.link and not contact.email:
                unset.append(f"contacts.{key} ({CONTACT_LABELS[key]}): no phone, email or link")
            if not contact.name:
                unset.append(f"contacts.{key}.name")
        for key, document in self.documents.items():
            if not document.name:
                unset.append(f"documents.{key}.name ({DOCUMENT_LABELS[key]})")
            if not document.link:
                unset.append(f"documents.{key}.link")
        for key, label in TIMESCALE_LABELS.items():
            if getattr(self.timescales, key) in (None, [], ""):
                unset.append(f"timescales.{key} ({label})")
        return unset


def _check_keys(section: str, value: dict, expected: Dict[str, str]) -> dict:
    missing = sorted(set(expected) - set(value))
    unknown = sorted(set(value) - set(expected))
    if missing or unknown:
        raise ValueError(
            f"{section}: missing keys {missing or 'none'}, unknown keys {unknown or 'none'}"
            " (declare every key, with null when unknown)"
        )
    return value


def available() -> List[str]:
    return sorted(path.stem for path in settings.PARTNERSHIPS_DIR.glob("*.yml"))


def load(partnership_id: str, directory: Path | None = None) -> Partnership:
    directory = directory or settings.PARTNERSHIPS_DIR
    path = directory / f"{partnership_id}.yml"
    if not path.exists():
        raise FileNotFoundError(
            f"No partnership pack {path}. Available: {', '.join(available()) or 'none'}"
        )
    pack = Partnership.parse_obj(yaml.safe_load(path.read_text(encoding="utf-8")))
    if pack.id != partnership_id:
        raise ValueError(f"{path}: id {pack.id!r} does not match the file name")
    return pack
