"""Pseudonymous senders: a keyed hash, so the same practitioner links up but cannot be named.

The key comes from PSEUDONYM_SECRET, or is generated on first run into
var/pseudonym.key (readable by the service account only). Losing the key only
means new pseudonyms from then on; it cannot reveal anyone.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
from pathlib import Path

from bot import secret_files, settings

PREFIX = "p_"


def _read_or_create_key(path: Path) -> bytes:
    key = secret_files.read_or_create(path)
    if not key:
        raise RuntimeError(f"{path} is empty: delete it or set PSEUDONYM_SECRET")
    return key


@functools.lru_cache(maxsize=1)
def _key() -> bytes:
    secret = settings.PSEUDONYM_SECRET.get()
    return secret.encode() if secret else _read_or_create_key(Path(settings.PSEUDONYM_KEY_FILE.get()))


def pseudonymise(sender_id: str) -> str:
    """Stable, keyed and irreversible; already-pseudonymised ids pass through unchanged."""
    if is_pseudonym(sender_id):
        return sender_id
    digest = hmac.new(_key(), sender_id.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:32]


def is_pseudonym(value: str) -> bool:
    return value.startswith(PREFIX) and len(value) == len(PREFIX) + 32 and all(
        ch in "0123456789abcdef" for ch in value[len(PREFIX):]
    )
