"""Replies to Teams through the Bot Connector, with the bot's own access token.

The token comes from the app registration's tenant (client credentials) and is reused until
shortly before it expires. A reply that fails is logged, without its text, and dropped: a
practitioner's next message still works, and Rasa never sees the error.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict
from urllib.parse import quote

import aiohttp

from bot.channels.teams.config import TOKEN_SCOPE
from bot.channels.teams.http import HttpClient

logger = logging.getLogger(__name__)

# Fetch a new token this long before the old one expires (or half its life, if shorter).
REFRESH_MARGIN_SECONDS = 300


class TokenError(Exception):
    """No access token could be had; the message says why (never the secret)."""


class TokenSource:
    def __init__(
        self,
        http: HttpClient,
        token_url: str,
        app_id: str,
        app_password: str,
        scope: str = TOKEN_SCOPE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._token_url = token_url
        self._form = {"grant_type": "client_credentials", "client_id": app_id,
                      "client_secret": app_password, "scope": scope}
        self._clock = clock
        self._token: str | None = None
        self._valid_until = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def token(self) -> str:
        if self._token is None or self._clock() >= self._valid_until:
            async with self._lock:
                if self._token is None or self._clock() >= self._valid_until:
                    await self._fetch()
        assert self._token is not None
        return self._token

    def invalidate(self) -> None:
        self._token = None

    async def _fetch(self) -> None:
        self.fetches += 1
        try:
            async with self._http.session().post(self._token_url, data=self._form) as response:
                if response.status != 200:
                    raise TokenError(f"the token endpoint answered {response.status}")
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise TokenError(f"the token endpoint could not be reached ({type(error).__name__})") from None
        token = body.get("access_token") if isinstance(body, dict) else None
        try:
            lifetime = float(body.get("expires_in", 0)) if isinstance(body, dict) else 0.0
        except (TypeError, ValueError):
            lifetime = 0.0
        if not isinstance(token, str) or not token:
            raise TokenError("the token endpoint returned no access_token")
        self._token = token
        self._valid_until = self._clock() + lifetime - min(REFRESH_MARGIN_SECONDS, lifetime / 2)


@dataclass(frozen=True)
class ConversationReference:
    """Where a reply goes: from the incoming activity, once it has been authenticated."""

    service_url: str
    conversation: Dict[str, Any]
    bot: Dict[str, Any]
    user: Dict[str, Any]
    reply_to_id: str | None = None

    @property
    def activities_url(self) -> str:
        conversation_id = quote(str(self.conversation.get("id", "")), safe="")
        url = f"{self.service_url.rstrip('/')}/v3/conversations/{conversation_id}/activities"
        return f"{url}/{quote(self.reply_to_id, safe='')}" if self.reply_to_id else url

    def reply(self, content: Dict[str, Any]) -> Dict[str, Any]:
        activity: Dict[str, Any] = {
            "type": "message",
            "from": self.bot,
            "recipient": self.user,
            "conversation": self.conversation,
        }
        if self.reply_to_id:
            activity["replyToId"] = self.reply_to_id
        return {**activity, **content}


class Connector:
    def __init__(self, http: HttpClient, tokens: TokenSource) -> None:
        self._http = http
        self._tokens = tokens

    async def send(self, to: ConversationReference, content: Dict[str, Any]) -> bool:
        """Posts one message; True if the Bot Connector accepted it. Never raises."""
        activity = to.reply(content)
        try:
            status = await self._post(to.activities_url, activity)
            if status == 401:  # the token may have been revoked early: one more try with a new one
                self._tokens.invalidate()
                status = await self._post(to.activities_url, activity)
        except TokenError as error:
            logger.error("Teams reply not sent: no access token (%s)", error)
            return False
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("Teams reply not sent: %s", type(error).__name__)
            return False
        if status >= 300:
            logger.error("Teams reply not sent: the Bot Connector answered %s", status)
            return False
        return True

    async def _post(self, url: str, activity: Dict[str, Any]) -> int:
        headers = {"Authorization": f"Bearer {await self._tokens.token()}"}
        async with self._http.session().post(url, json=activity, headers=headers) as response:
            await response.read()
            return response.status
