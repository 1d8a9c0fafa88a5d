"""Which phone numbers an answer may give: the national ones, and those the partnership's pack sets."""
from __future__ import annotations

import re
from typing import List, Set

from bot.content.partnership import Partnership

# National numbers from the domain brief (999, 101, Missing People's 116 000, Childline's 0800 1111,
# the NSPCC helpline); any other number must come from the pack.
NATIONAL_NUMBERS = {"999", "101", "116000", "08001111", "08088005000"}
PHONE_LIKE = re.compile(r"\+?\d[\d ]{4,}\d")


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def allowed_numbers(pack: Partnership) -> Set[str]:
    """The digits of every number an answer for this pack may give."""
    return NATIONAL_NUMBERS | {digits(contact.phone) for contact in pack.contacts.values() if contact.phone}


def invented_numbers(text: str, allowed: Set[str]) -> List[str]:
    """Phone-like numbers (6+ digits) in an answer that no trusted source gave."""
    found = [match.group(0).strip() for match in PHONE_LIKE.finditer(text)]
    return [number for number in found if len(digits(number)) >= 6 and digits(number) not in allowed]
