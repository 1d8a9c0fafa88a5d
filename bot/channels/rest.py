"""Rasa's REST channel, with the message text made safe before anything reads it.

A JSON string can carry text that is not valid Unicode (lone surrogates) or
control characters; spaCy fails on the former, and Rasa then logs the raw
message with its error. Cleaning here means every message gets an answer and
no failure drags the practitioner's words into a log. Same URL as Rasa's:
/webhooks/rest/webhook.

A message is refused (503, with a reason) when it could not be processed whole: its conversation's lock
could not be taken (Redis is unreachable) or the conversation store could not be read or written
(bot/conversation_store.py). The client sends it again. A client that gives each message its own
`message_id` can send a message again after any error, a lost connection included: under the
conversation's lock, a message the conversation already holds is answered with the answers it got then,
never processed twice.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.lock_store import LockError
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request

from bot import conversation_store, rasa_speedups
from bot.conversation_store import ConversationStoreUnavailable
from bot.privacy import log_privacy
from bot.privacy.redactor import clean
from bot.querylog.records import MAX_TEXT_LENGTH

rasa_speedups.install()
conversation_store.install()
log_privacy.install()

# One limit everywhere: the chat page's box, the front door (bot/web/door.py) and the query log.
MAX_MESSAGE_LENGTH = MAX_TEXT_LENGTH
PAYLOAD = re.compile(r"^/[A-Za-z_][\w-]*(?P<entities>\{.*\})?$", re.DOTALL)
# Rasa's REST channel answers 200 with no messages when handling fails. A message refused (its conversation's
# lock could not be taken, or its conversation could not be read or kept) is answered 503 instead, with a
# reason, so that the client knows to send it again.
REFUSAL = {"error": "The assistant cannot take messages just now. Please try again in a moment."}
_REFUSED: ContextVar[List[bool]] = ContextVar("rest_message_refused")
# the request's client-chosen message id (checked by the front door, bot/web/door.py) and its server's agent
_CLIENT_MESSAGE_ID: ContextVar[str | None] = ContextVar("rest_client_message_id", default=None)
_AGENT: ContextVar[Agent | None] = ContextVar("rest_agent", default=None)
CLIENT_MESSAGE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
REPLY_KEYS = ("text", "buttons", "image", "attachment", "elements", "quick_replies", "custom")
logger = logging.getLogger(__name__)


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            await handle_or_refuse(message, on_new_message)

        webhook = super().blueprint(handle)

        @webhook.middleware("request")
        async def watch(request: Request) -> None:
            _REFUSED.set([])
            _CLIENT_MESSAGE_ID.set(client_message_id(request))
            _AGENT.set(getattr(request.app.ctx, "agent", None))

        @webhook.middleware("response")
        async def refuse(_request: Request, _response: response.HTTPResponse) -> response.HTTPResponse | None:
            return response.json(REFUSAL, status=503) if _REFUSED.get([]) else None

        return webhook

    def _extract_message(self, req: Request) -> str | None:
        message = req.json.get("message")
        if message is None:
            return None
        return plain_unless_payload(clean(str(message)[:MAX_MESSAGE_LENGTH]))


def client_message_id(request: Request) -> str | None:
    try:
        body = request.json
    except Exception:  # Rasa's own handler answers a body that is not JSON
        return None
    found = body.get("message_id") if isinstance(body, dict) else None
    return found if isinstance(found, str) and CLIENT_MESSAGE_ID.fullmatch(found) else None


def stored_message_id(sender_id: str, client_id: str, text: str) -> str:
    """The id a client's message is stored under: its conversation's and its text's, so one client's ids never
    meet another's (the query log keeps each message id once), and an id used again for another message is
    a new message, never answered with the earlier one's answers."""
    return hashlib.sha256(f"{sender_id}\0{client_id}\0{text}".encode()).hexdigest()[:32]


async def handle_or_refuse(message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
    """Handles a message once; marks the request refused (503) if it could not be handled whole.

    A refusal is not raised on to Rasa's handler, which would log the exception with the message's text. A
    handling cancelled part way (the server's response timeout, say, after waiting for the lock of a replica
    that died holding it) is refused too: Rasa's own handler would answer it 200 with nothing.
    """
    try:
        await handle_once(message, on_new_message)
    except LockError:
        logger.warning("A REST message was refused: its conversation's lock could not be taken")
        _REFUSED.get([]).append(True)
    except ConversationStoreUnavailable:
        _REFUSED.get([]).append(True)
    except asyncio.CancelledError:
        logger.warning("A REST message was refused: its handling was cancelled before it finished")
        _REFUSED.get([]).append(True)
        raise


async def handle_once(message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
    """Processes a message, or, if its conversation already holds it (sent again after an error), answers
    it as it was answered then. Under the conversation's lock either way, like Agent.handle_message."""
    client_id, agent = _CLIENT_MESSAGE_ID.get(), _AGENT.get()
    if client_id is None or agent is None or not agent.is_ready() or agent.processor is None:
        await on_new_message(message)
        return
    message.message_id = stored_message_id(message.sender_id, client_id, message.text or "")
    async with agent.lock_store.lock(message.sender_id):
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        earlier = answers_to(tracker, message.message_id) if tracker else None
        if earlier is None:
            await agent.processor.handle_message(message)
            return
        logger.info("A REST message sent again was answered as before, not processed again")
        for answer in earlier:
            await message.output_channel.send_response(message.sender_id, answer)


def answers_to(tracker: DialogueStateTracker, message_id: str) -> List[Dict[str, Any]] | None:
    """The answers the conversation holds to the message with this id; None if it does not hold it."""
    answers: List[Dict[str, Any]] | None = None
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if answers is not None:
                break
            if event.message_id == message_id:
                answers = []
        elif answers is not None and isinstance(event, BotUttered):
            reply = {"text": event.text, **(event.data or {})}
            answers.append({key: value for key, value in reply.items() if key in REPLY_KEYS and value})
    return answers


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
