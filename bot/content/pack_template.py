"""A new partnership pack: every key, null, with a comment above each saying what goes there."""
from __future__ import annotations

from typing import List, Tuple

from bot.content.partnership import CONTACT_LABELS, DOCUMENT_LABELS, TIMESCALE_LABELS

HEADER = """\
# Local details for one safeguarding partnership. The assistant's answers are written nationally; this
# file fills in your area's contacts, documents and timescales. docs/business-manager.md walks you through.
# Leave a value as null when you do not know it: answers then say plainly that it is not set up.
# Never guess a phone number. Dates are written YYYY-MM-DD. Links start with https://.
# When you have filled it in: python -m bot pack check {id}, then make run PARTNERSHIP={id}.
"""

TOP: List[Tuple[str, str]] = [
    ("name", 'The partnership\'s full name, as answers say it, e.g. "Anytown Safeguarding Children Partnership".'),
    ("short_name", 'A short name for the partnership, e.g. "Anytown".'),
    ("area", 'The area the partnership covers, e.g. "Anytown and the surrounding villages".'),
    ("owner", "The role that keeps this pack up to date: a role, not a person, e.g. \"Partnership business manager\"."),
    ("signed_off", "The date the partnership signed this pack off (YYYY-MM-DD); null until it does. An internal"
                   " check is not a sign-off. Until then, answers say local details are not yet confirmed."),
    ("review_due", "When the pack as a whole is next reviewed (YYYY-MM-DD), e.g. a year after sign-off."),
    ("source_note", "Where this pack's details come from, in one sentence."),
]
DOCUMENT_KEYS: List[Tuple[str, str]] = [
    ("name", "Its name, as practitioners know it."),
    ("version", 'Its version, as the document gives it, e.g. "v3" or "2024-2026".'),
    ("date", "The date of that version (YYYY-MM-DD)."),
    ("review_due", "When the partnership must next review it (YYYY-MM-DD)."),
    ("valid_until", "Only if the document states its own period: the day that period ends (a \"2024-2026\""
                    " protocol ends 2026-03-31, if it runs to the end of March); otherwise null."),
    ("link", "Where practitioners can read it: an https:// address."),
]
CONTACT_KEYS: List[Tuple[str, str]] = [
    ("name", "The team or service's name (not a person's)."),
    ("phone", "Its phone number, exactly as practitioners should dial it."),
    ("email", "Its e-mail address, if practitioners may use it."),
    ("link", "A web page or form for it: an https:// address."),
    ("hours", 'When it can be reached, e.g. "Monday to Friday, 9am to 5pm".'),
]
TIMESCALE_EXAMPLES = {
    "strategy_meeting_threshold": 'in words, e.g. "3 episodes in 30 days, or any episode over 24 hours".',
    "escalation_stages": "a list, one stage a line, each starting with \"- \"; or null.",
}


def _comment(text: str, indent: str) -> List[str]:
    return [f"{indent}# {text}"]


def template(pack_id: str) -> str:
    lines = HEADER.format(id=pack_id).splitlines()
    lines += ["", "# The pack's id: the file name without .yml. Do not change it.", f"id: {pack_id}"]
    for key, comment in TOP:
        lines += _comment(comment, "") + [f"{key}: null"]
    lines += ["", "# The partnership's own documents that answers point practitioners to.", "documents:"]
    for key, label in DOCUMENT_LABELS.items():
        lines += _comment(f"The {label}.", "  ") + [f"  {key}:"]
        for field, comment in DOCUMENT_KEYS:
            lines += _comment(comment, "    ") + [f"    {field}: null"]
    lines += ["", "# Who practitioners contact. Give at least a phone, e-mail or link for each.", "contacts:"]
    for key, label in CONTACT_LABELS.items():
        lines += _comment(f"{label}.", "  ") + [f"  {key}:"]
        for field, comment in CONTACT_KEYS:
            lines += _comment(comment, "    ") + [f"    {field}: null"]
    lines += ["", "# Local timescales, as your protocol states them.", "timescales:"]
    for key, label in TIMESCALE_LABELS.items():
        lines += _comment(f"The {label}: {TIMESCALE_EXAMPLES[key]}", "  ") + [f"  {key}: null"]
    return "\n".join(lines) + "\n"
