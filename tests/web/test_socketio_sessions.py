"""The socket.io channel speaks for the session it confirmed, never for one a client names."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Dict, List, TypeVar

import socketio

from tests.web.helpers import Assistant

T = TypeVar("T")


def run(coroutine: Callable[[], Awaitable[T]]) -> T:
    """Its own thread and loop: Playwright's sync API keeps a loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine())).result()  # type: ignore[arg-type]


class Client:
    def __init__(self, url: str) -> None:
        self.url = url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.heard: List[Dict[str, Any]] = []
        self.sio.on("session_confirm", self.confirmed.put)
        self.sio.on("bot_uttered", self._heard)

    async def _heard(self, data: Dict[str, Any]) -> None:
        self.heard.append(data)

    async def connect(self, session_id: str | None = None) -> str:
        await self.sio.connect(self.url, headers={"Origin": self.url}, socketio_path="/socket.io/",
                               transports=["polling"], wait_timeout=30)
        await self.sio.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), 30)

    async def close(self) -> None:
        # a long-polling client notices its own disconnect only at the next poll
        try:
            await asyncio.wait_for(self.sio.disconnect(), 2)
        except asyncio.TimeoutError:
            pass


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
