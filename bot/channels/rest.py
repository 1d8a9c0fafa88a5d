"""Rasa's REST channel, with the message text made safe before anything reads it.

A JSON string can carry text that is not valid Unicode (lone surrogates) or
control characters; spaCy fails on the former, and Rasa then logs the raw
message with its error. Cleaning here means every message gets an answer and
no failure drags the practitioner's words into a log. Same URL as Rasa's:
/webhooks/rest/webhook.
"""
from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from typing import Awaitable, Callable, List

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.lock_store import LockError
from sanic import Blueprint, response
from sanic.request import Request

from bot import rasa_speedups
from bot.privacy import log_privacy
from bot.privacy.redactor import clean
from bot.querylog.records import MAX_TEXT_LENGTH

rasa_speedups.install()
log_privacy.install()

# One limit everywhere: the chat page's box, the front door (bot/web/door.py) and the query log.
MAX_MESSAGE_LENGTH = MAX_TEXT_LENGTH
PAYLOAD = re.compile(r"^/[A-Za-z_][\w-]*(?P<entities>\{.*\})?$", re.DOTALL)
# Rasa's REST channel answers 200 with no messages when handling fails. A message refused before it was
# processed (its conversation's lock could not be taken: the lock store is unreachable) is answered 503
# instead, with a reason, so that the client knows to send it again.
LOCK_REFUSAL = {"error": "The assistant cannot take messages just now. Please try again in a moment."}
_REFUSED: ContextVar[List[bool]] = ContextVar("rest_message_refused")
logger = logging.getLogger(__name__)


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            try:
                await on_new_message(message)
            except LockError:
                logger.warning("A REST message was refused: its conversation's lock could not be taken")
                _REFUSED.get([]).append(True)
                raise

        webhook = super().blueprint(handle)

        @webhook.middleware("request")
        async def watch(_request: Request) -> None:
            _REFUSED.set([])

        @webhook.middleware("response")
        async def refuse(_request: Request, _response: response.HTTPResponse) -> response.HTTPResponse | None:
            return response.json(LOCK_REFUSAL, status=503) if _REFUSED.get([]) else None

        return webhook

    def _extract_message(self, req: Request) -> str | None:
        message = req.json.get("message")
        if message is None:
            return None
        return plain_unless_payload(clean(str(message)[:MAX_MESSAGE_LENGTH]))


def plain_unless_payload(text: str) -> str:
    """Text starting with "/" that is not a well-formed button payload is read as ordinary text.

    Otherwise Rasa tries to parse it as a payload and logs the raw message when it cannot.
    """
    match = PAYLOAD.match(text)
    if not text.startswith("/") or match and _valid_json(match.group("entities")):
        return text
    return text.lstrip("/ ")


def _valid_json(entities: str | None) -> bool:
    if entities is None:
        return True
    try:
        return isinstance(json.loads(entities), dict)
    except ValueError:
        return False
