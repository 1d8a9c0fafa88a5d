"""Rasa's socket.io channel for the web chat, made safe to face the web.

Rasa 3.6's version has origin checks switched off, so any web page could open a chat with
the assistant; here browsers may connect only from ALLOWED_ORIGINS (a non-browser client
sends no Origin and is not stopped by this: it is no different from the REST channel).
Rasa's version also trusts the session id that comes with every message, so one client
could speak into another's conversation; here a connection speaks only for the session
the server confirmed to it. Text is cleaned as in the REST channel, and metadata from the
client is dropped.
"""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.core.lock_store import LockError
from sanic import Blueprint

from bot import conversation_store, rasa_speedups, settings
from bot.channels.rest import MAX_MESSAGE_LENGTH, REFUSAL, plain_unless_payload
from bot.conversation_store import ConversationStoreUnavailable
from bot.privacy import log_privacy
from bot.privacy.redactor import clean

rasa_speedups.install()
conversation_store.install()
log_privacy.install()
logger = logging.getLogger(__name__)

# A session id the browser keeps between reloads: ours are uuid4 hex; nothing else is accepted.
SESSION_ID = re.compile(r"[0-9a-f]{32}")


def requested_session(data: Any) -> str:
    """The session a browser asks to resume, if well formed; else a new one."""
    session_id = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(session_id, str) and SESSION_ID.fullmatch(session_id):
        return session_id
    return uuid.uuid4().hex


def message_text(data: Any) -> str | None:
    """The text of a user_uttered event, cleaned; None when the event carries no text."""
    text = data.get("message") if isinstance(data, dict) else None
    if not isinstance(text, str):
        return None
    return plain_unless_payload(clean(text[:MAX_MESSAGE_LENGTH]))


class SafeSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        sio.eio.cors_allowed_origins = settings.allowed_origins()
        sessions: Dict[str, str] = {}  # socket id -> the session the server confirmed to it

        # Rasa 3.6 calls enter_room without awaiting it (a coroutine in python-socketio 5.10+),
        # so the browser would never join its session's room and never hear the answers.
        async def session_request(sid: str, data: Any) -> None:
            session_id = requested_session(data)
            previous = sessions.get(sid)
            if previous and previous != session_id:
                await sio.leave_room(sid, previous, namespace=self.namespace)
            sessions[sid] = session_id
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def user_uttered(sid: str, data: Any) -> None:
            text = message_text(data)
            session_id = sessions.get(sid)
            if text is None or (self.session_persistence and session_id is None):
                logger.info("Ignored a socket.io message without text or before its session was confirmed")
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            sender = session_id if self.session_persistence else sid
            # The answers are sent once the conversation is kept with them: a message refused after it was
            # answered (its conversation could not be saved) must not leave that answer on the page.
            answers = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, answers, sender, input_channel=self.name(), metadata={}))
            except (LockError, ConversationStoreUnavailable) as error:
                # not processed, or not kept: the page is told, so the practitioner can send it again
                logger.warning("A web chat message was refused (%s)", type(error).__name__)
                await output.send_text_message(sender, REFUSAL["error"])
                return
            for answer in answers.messages:
                await output.send_response(sender, {key: value for key, value in answer.items()
                                                    if key != "recipient_id"})

        async def disconnect(sid: str, *_reason: Any) -> None:
            sessions.pop(sid, None)

        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, user_uttered, namespace=self.namespace)
        sio.on("disconnect", disconnect, namespace=self.namespace)
        return blueprint
