"""Rasa's REST channel, with the message text made safe before anything reads it.

A JSON string can carry text that is not valid Unicode (lone surrogates) or
control characters; spaCy fails on the former, and Rasa then logs the raw
message with its error. Cleaning here means every message gets an answer and
no failure drags the practitioner's words into a log. Same URL as Rasa's:
/webhooks/rest/webhook.
"""
from __future__ import annotations

import json
import re

from rasa.core.channels.rest import RestInput
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


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

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
