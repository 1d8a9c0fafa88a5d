"""Rasa's socket.io channel for the web chat, limited to the configured web origins.

Rasa 3.6 builds its socket.io server with origin checks switched off, so any
web page could open a chat with the assistant; here only ALLOWED_ORIGINS may.
Text is cleaned as in the REST channel before anything reads it.
"""
from __future__ import annotations

import re
import uuid
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot import rasa_speedups, settings
from bot.channels.rest import MAX_MESSAGE_LENGTH, plain_unless_payload
from bot.privacy.redactor import clean

rasa_speedups.install()

# A session id the browser keeps between reloads: ours are uuid4 hex; nothing else is accepted.
SESSION_ID = re.compile(r"[0-9a-f]{32}")


class SafeSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def on_clean_message(message: UserMessage) -> Any:
            message.text = plain_unless_payload(clean(str(message.text or "")[:MAX_MESSAGE_LENGTH]))
            return await on_new_message(message)

        blueprint = super().blueprint(on_clean_message)
        sio = self.sio
        assert sio is not None
        sio.eio.cors_allowed_origins = settings.allowed_origins()

        # Rasa 3.6 calls enter_room without awaiting it (a coroutine in python-socketio 5.10+),
        # so the browser never joins its session's room and never hears the answers.
        async def session_request(sid: str, data: Dict[str, Any] | None) -> None:
            session_id = (data or {}).get("session_id") if isinstance(data, dict) else None
            if not isinstance(session_id, str) or not SESSION_ID.fullmatch(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        sio.on("session_request", session_request, namespace=self.namespace)
        return blueprint
