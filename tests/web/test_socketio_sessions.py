"""The socket.io channel speaks for the session it confirmed, never for one a client names."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from tests.socketio_client import Client, run
from tests.web.helpers import Assistant


async def _hijack_attempt(url: str) -> tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    victim, other = Client(url), Client(url)
    victim_session = await victim.connect()
    await other.connect()
    # the other client names the victim's session in its message
    await other.sio.emit("user_uttered", {"message": "hello", "session_id": victim_session})
    # junk events must not break anything
    for junk in ("just a string", {"message": {"nested": 1}}, {"message": None}, {"metadata": "{not json"}):
        await other.sio.emit("user_uttered", junk)
    await asyncio.sleep(3)
    await victim.sio.emit("user_uttered", {"message": "hello", "session_id": victim_session})
    for _ in range(60):
        if victim.heard:
            break
        await asyncio.sleep(0.5)
    await asyncio.gather(victim.close(), other.close(), return_exceptions=True)
    return victim.heard, other.heard


def test_a_client_cannot_speak_into_another_clients_session(assistant: Assistant) -> None:
    victim_heard, other_heard = run(lambda: _hijack_attempt(assistant.web_url))
    assert other_heard, "the other client's own message got no answer"
    assert victim_heard, "the victim's own message got no answer"
    # the victim hears only the answer to its own single "hello", not the other client's
    greetings = [message for message in victim_heard if "999" in str(message.get("text", ""))]
    assert len(greetings) == len([m for m in other_heard if "999" in str(m.get("text", ""))])


def test_a_malformed_session_id_gets_a_new_session(assistant: Assistant) -> None:
    async def attempt() -> str:
        client = Client(assistant.web_url)
        try:
            return await client.connect("../../etc/passwd")
        finally:
            await client.close()

    session = run(attempt)
    assert len(session) == 32 and session != "../../etc/passwd"
