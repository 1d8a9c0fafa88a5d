"""Checks that a webhook call really comes from the Bot Framework, for this bot.

Every call carries `Authorization: Bearer <JWT>`, signed RS256 with a key from the JWKS that the
Bot Framework's OpenID metadata names. The keys are fetched without blocking (aiohttp), kept for
a day, and fetched again when a token names a key we do not have, at most once a minute so that
made-up key ids cannot make us hammer Microsoft. Errors say what was wrong, never the token.

As the Bot Framework SDK's ChannelValidation does, the token must name the activity's serviceUrl
(the `serviceurl` claim), since replies go there with our bot's own access token; and that address
must be https:// unless a test setting allows http. This channel is for Teams only: the activity's
channelId must be "msteams" and the signing key must be endorsed for it.

The token is checked in two steps, so that a webhook call can be refused before its body is
read: `verify` needs only the Authorization header, `check_activity` then needs the activity.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping

import aiohttp
import jwt

from bot.channels.teams.http import HttpClient

logger = logging.getLogger(__name__)

ALGORITHM = "RS256"
CHANNEL_ID = "msteams"
LEEWAY_SECONDS = 300
REFRESH_AFTER_SECONDS = 24 * 60 * 60
MIN_FETCH_INTERVAL_SECONDS = 60
_BEARER = re.compile(r"Bearer\s+([A-Za-z0-9._~+/=-]+)", re.IGNORECASE)


class AuthError(Exception):
    """The request is not from the Bot Framework for this bot; the message says why (no token)."""


@dataclass(frozen=True)
class SigningKey:
    key: jwt.PyJWK
    # channels this key may sign for ("msteams"...); a key endorsed for none signs for none
    endorsements: frozenset[str]


def parse_jwks(jwks: Any) -> Dict[str, SigningKey]:
    """The usable RSA signing keys of a JWKS document, by key id; anything else is skipped."""
    keys: Dict[str, SigningKey] = {}
    entries = jwks.get("keys") if isinstance(jwks, dict) else None
    for jwk in entries if isinstance(entries, list) else []:
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or jwk.get("use", "sig") != "sig":
            continue
        kid = jwk.get("kid")
        if not isinstance(kid, str) or not kid:
            continue
        try:
            key = jwt.PyJWK(jwk, algorithm=ALGORITHM)
        except (jwt.PyJWTError, ValueError, TypeError):
            continue
        endorsements = jwk.get("endorsements")
        endorsements = endorsements if isinstance(endorsements, list) else []
        keys[kid] = SigningKey(key, frozenset(e for e in endorsements if isinstance(e, str)))
    return keys


class SigningKeys:
    """The Bot Framework's current signing keys, fetched when needed and cached."""

    def __init__(self, http: HttpClient, metadata_url: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._http = http
        self._metadata_url = metadata_url
        self._clock = clock
        self._keys: Dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def get(self, kid: str) -> SigningKey | None:
        # while a fetch is under way, wait for it rather than answer from the old set
        if self._should_fetch(kid) or self._lock.locked():
            async with self._lock:
                if self._should_fetch(kid):  # another request may have fetched while this one waited
                    await self._fetch()
        return self._keys.get(kid)

    def _should_fetch(self, kid: str) -> bool:
        now = self._clock()
        if self._attempted_at is not None and now - self._attempted_at < MIN_FETCH_INTERVAL_SECONDS:
            return False
        stale = self._fetched_at is None or now - self._fetched_at >= REFRESH_AFTER_SECONDS
        return stale or kid not in self._keys

    async def _fetch(self) -> None:
        self._attempted_at = self._clock()
        self.fetches += 1
        url = self._metadata_url
        try:
            metadata = await self._get_json(url)
            url = metadata["jwks_uri"]
            if not isinstance(url, str):
                raise ValueError("jwks_uri is not a string")
            keys = parse_jwks(await self._get_json(url))
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, KeyError, TypeError) as error:
            logger.warning("Could not fetch the Bot Framework signing keys from %s (%s)", url, type(error).__name__)
            return
        if not keys:
            logger.warning("The Bot Framework key set at %s has no usable RSA keys", url)
            return
        self._keys = keys
        self._fetched_at = self._attempted_at

    async def _get_json(self, url: str) -> Any:
        async with self._http.session().get(url) as response:
            if response.status != 200:
                raise aiohttp.ClientResponseError(response.request_info, (), status=response.status)
            return await response.json(content_type=None)


def bearer_token(authorization: str | None) -> str:
    match = _BEARER.fullmatch((authorization or "").strip())
    if not match:
        raise AuthError("no bearer token")
    return match.group(1)


def same_service_url(claimed: Any, given: Any) -> bool:
    if not isinstance(claimed, str) or not isinstance(given, str) or not claimed.strip():
        return False
    return claimed.strip().rstrip("/").lower() == given.strip().rstrip("/").lower()


def secure_service_url(url: str, allow_http: bool = False) -> bool:
    """Whether replies may go to this address: https://, or http:// too when tests allow it."""
    schemes = ("https://", "http://") if allow_http else ("https://",)
    return url.strip().lower().startswith(schemes)


@dataclass(frozen=True)
class VerifiedToken:
    """A token whose signature, issuer, audience and lifetime are good; not yet tied to an activity."""

    claims: Dict[str, Any]
    endorsements: frozenset[str]


class Authenticator:
    def __init__(self, keys: SigningKeys, app_id: str, issuer: str, leeway: int = LEEWAY_SECONDS,
                 allow_http_service_url: bool = False) -> None:
        if not app_id:
            raise ValueError("the app id is needed to check a token's audience")
        self._keys = keys
        self._app_id = app_id
        self._issuer = issuer
        self._leeway = leeway
        self._allow_http = allow_http_service_url

    async def authenticate(self, authorization: str | None, activity: Mapping[str, Any]) -> Dict[str, Any]:
        """The token's claims if it is a valid Bot Framework token for this bot and this activity."""
        token = await self.verify(authorization)
        self.check_activity(token, activity)
        return token.claims

    async def verify(self, authorization: str | None) -> VerifiedToken:
        """Everything that can be checked from the Authorization header alone."""
        token = bearer_token(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("malformed token") from None
        if header.get("alg") != ALGORITHM:
            raise AuthError("token not signed RS256")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthError("token names no signing key")
        signing_key = await self._keys.get(kid)
        if signing_key is None:
            raise AuthError("unknown signing key")
        if CHANNEL_ID not in signing_key.endorsements:
            raise AuthError("signing key not endorsed for Teams")
        try:
            claims = jwt.decode(
                token,
                signing_key.key.key,
                algorithms=[ALGORITHM],
                audience=self._app_id,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise AuthError(type(error).__name__) from None
        if not isinstance(claims.get("serviceurl"), str) or not claims["serviceurl"].strip():
            raise AuthError("token names no serviceUrl")
        return VerifiedToken(claims, signing_key.endorsements)

    def check_activity(self, token: VerifiedToken, activity: Mapping[str, Any]) -> None:
        """Refuses an activity that the verified token was not issued for."""
        channel_id = activity.get("channelId")
        if channel_id != CHANNEL_ID:
            raise AuthError("activity is not from Teams")
        if channel_id not in token.endorsements:  # verify() saw to this; kept for a token made elsewhere
            raise AuthError("signing key not endorsed for this channel")
        service_url = activity.get("serviceUrl")
        if not isinstance(service_url, str) or not service_url.strip():
            raise AuthError("activity names no serviceUrl")
        if not secure_service_url(service_url, self._allow_http):
            raise AuthError("activity serviceUrl is not https")
        if not same_service_url(token.claims.get("serviceurl"), service_url):
            raise AuthError("token is for another serviceUrl")
