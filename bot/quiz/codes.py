"""Class codes: 6 characters without look-alikes, and how one is found in a message.

No database here: the NLU component that extracts codes (bot.nlu.class_code) imports it.
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 6
# What may be a code in a message: any 6 letters and digits with at least one of each, so that
# ordinary words ("police") and numbers are never read as codes. Generated codes always qualify.
CODE_IN_TEXT = re.compile(r"\b(?=[a-z0-9]*[0-9])(?=[a-z0-9]*[a-z])[a-z0-9]{6}\b", re.IGNORECASE)


def new_code() -> str:
    """A random code (secrets), with at least one letter and one digit."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if any(ch.isdigit() for ch in code) and any(ch.isalpha() for ch in code):
            return code


def normalise(code: str | None) -> str | None:
    """The code as stored (upper case), or None if it cannot be one."""
    if not code:
        return None
    code = code.strip().upper()
    return code if CODE_IN_TEXT.fullmatch(code) else None


def find_code(text: str) -> str | None:
    match = CODE_IN_TEXT.search(text or "")
    return match.group(0).upper() if match else None
