"""The dashboard's settings from the environment: cookie security, session lifetime, the session key.

The session key comes from REVIEW_SESSION_KEY, or is generated on first run into var/review_session.key
(REVIEW_SESSION_KEY_FILE; readable by the service account only), like the pseudonym key. Replacing the key
only logs everyone out.
"""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Mapping

from bot import secret_files, settings

KEY_FILE = settings.ROOT / "var" / "review_session.key"
MIN_SECRET_LENGTH = 32
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class ConfigurationError(ValueError):
    """A dashboard setting that cannot be used; the message names it."""


@dataclass(frozen=True)
class ReviewSettings:
    cookie_secure: bool
    idle: timedelta
    lifetime: timedelta
    session_key: bytes  # a Fernet key (urlsafe base64 of 32 bytes)


def from_environment(env: Mapping[str, str] | None = None) -> ReviewSettings:
    env = os.environ if env is None else env
    return ReviewSettings(
        cookie_secure=_flag(env, "REVIEW_COOKIE_SECURE", default=True),
        idle=timedelta(minutes=_number(env, "REVIEW_SESSION_IDLE_MINUTES", default=30, most=24 * 60)),
        lifetime=timedelta(hours=_number(env, "REVIEW_SESSION_HOURS", default=8, most=24 * 7)),
        session_key=session_key(env),
    )


def session_key(env: Mapping[str, str]) -> bytes:
    secret = env.get("REVIEW_SESSION_KEY", "").strip()
    if secret and len(secret) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            f"REVIEW_SESSION_KEY must be at least {MIN_SECRET_LENGTH} characters (e.g. `openssl rand -hex 32`)"
        )
    raw = secret.encode() if secret else _read_or_create_key(Path(env.get("REVIEW_SESSION_KEY_FILE") or KEY_FILE))
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest())


def _read_or_create_key(path: Path) -> bytes:
    key = secret_files.read_or_create(path)
    if len(key) < MIN_SECRET_LENGTH:
        raise ConfigurationError(f"{path} holds no usable key: delete it (everyone is logged out) or set "
                                 "REVIEW_SESSION_KEY")
    return key


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}")


def _number(env: Mapping[str, str], name: str, default: int, most: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise ConfigurationError(f"{name} must be a whole number from 1 to {most}, not {value!r}")
    return int(value)
