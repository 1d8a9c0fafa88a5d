"""The dashboard's settings from the environment: cookie security, session lifetime, the session key.

The session key comes from REVIEW_SESSION_KEY, or is generated on first run into var/review_session.key
(REVIEW_SESSION_KEY_FILE; readable by the service account only), like the pseudonym key. Replacing the key
only logs everyone out.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Mapping, Tuple

from bot import secret_files, settings
from bot.review import ratelimit

MIN_SECRET_LENGTH = 32
ConfigurationError = settings.ConfigurationError  # a dashboard setting that cannot be used; the message names it


@dataclass(frozen=True)
class ReviewSettings:
    cookie_secure: bool
    idle: timedelta
    lifetime: timedelta
    session_key: bytes  # a Fernet key (urlsafe base64 of 32 bytes)
    login_attempts: int = 10  # per client address per LOGIN_PERIOD
    trusted_proxies: Tuple[ratelimit.Network, ...] = ()


def from_environment(env: Mapping[str, str] | None = None) -> ReviewSettings:
    return ReviewSettings(
        cookie_secure=settings.REVIEW_COOKIE_SECURE.get(env),
        idle=timedelta(minutes=settings.REVIEW_SESSION_IDLE_MINUTES.get(env)),
        lifetime=timedelta(hours=settings.REVIEW_SESSION_HOURS.get(env)),
        session_key=session_key(env),
        login_attempts=settings.REVIEW_LOGIN_ATTEMPTS.get(env),
        trusted_proxies=trusted_proxies(env),
    )


def trusted_proxies(env: Mapping[str, str] | None = None) -> Tuple[ratelimit.Network, ...]:
    try:
        return ratelimit.trusted_networks(settings.WEB_TRUSTED_PROXIES.get(env))
    except ValueError as error:
        raise ConfigurationError(str(error)) from None


def session_key(env: Mapping[str, str] | None = None) -> bytes:
    secret = settings.REVIEW_SESSION_KEY.get(env)
    if secret and len(secret) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            f"REVIEW_SESSION_KEY must be at least {MIN_SECRET_LENGTH} characters (e.g. `openssl rand -hex 32`)"
        )
    raw = secret.encode() if secret else _read_or_create_key(Path(settings.REVIEW_SESSION_KEY_FILE.get(env)))
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest())


def _read_or_create_key(path: Path) -> bytes:
    key = secret_files.read_or_create(path)
    if len(key) < MIN_SECRET_LENGTH:
        raise ConfigurationError(f"{path} holds no usable key: delete it (everyone is logged out) or set "
                                 "REVIEW_SESSION_KEY")
    return key
