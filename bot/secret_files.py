"""Secrets generated on first run into files only the service account can read (var/)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def read_or_create(path: Path) -> bytes:
    """The secret in `path`, made of 32 random bytes (hex) first if the file does not exist yet."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        # written whole, then linked into place: another process never reads half a key
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_bytes().strip()
