"""CSRF protection: a synchronizer token kept in the session, required in every POSTed form (login and
logout included). A request that changes anything without the right token gets 403 (middlewares.py)."""
from __future__ import annotations

import hmac
import secrets
from typing import MutableMapping

FIELD = "csrf_token"
SESSION_KEY = "csrf"


class CsrfError(Exception):
    """A state-changing request without the session's token."""


def token(session: MutableMapping[str, object]) -> str:
    """The session's token, made on first use."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, str) or not value:
        value = secrets.token_urlsafe(32)
        session[SESSION_KEY] = value
    return value


def renew(session: MutableMapping[str, object]) -> str:
    """A new token, e.g. when the session changes hands at login."""
    session.pop(SESSION_KEY, None)
    return token(session)


def matches(session: MutableMapping[str, object], submitted: object) -> bool:
    expected = session.get(SESSION_KEY)
    if not isinstance(expected, str) or not expected or not isinstance(submitted, str):
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())

