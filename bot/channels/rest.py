"""Rasa's REST channel, with the message text made safe before anything reads it.

A JSON string can carry text that is not valid Unicode (lone surrogates) or
control characters; spaCy fails on the former, and Rasa then logs the raw
message with its error. Cleaning here means every message gets an answer and
no failure drags the practitioner's words into a log. Same URL as Rasa's:
/webhooks/rest/webhook.
"""
from __future__ import annotations

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot.privacy.redactor import clean

MAX_MESSAGE_LENGTH = 20_000


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Request) -> str | None:
        message = req.json.get("message")
        if message is None:
            return None
        return clean(str(message)[:MAX_MESSAGE_LENGTH])
