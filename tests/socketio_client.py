"""A socket.io client of the web chat's protocol (session_request, user_uttered), for tests."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Dict, List, TypeVar

import socketio

T = TypeVar("T")


def run(coroutine: Callable[[], Awaitable[T]]) -> T:
    """Its own thread and loop: Playwright's sync API keeps a loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine())).result()  # type: ignore[arg-type]


class Client:
    def __init__(self, url: str, origin: str | None = None) -> None:
        self.url, self.origin = url, origin or url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.heard: List[Dict[str, Any]] = []
        self.sio.on("session_confirm", self.confirmed.put)
        self.sio.on("bot_uttered", self._heard)

    async def _heard(self, data: Dict[str, Any]) -> None:
        self.heard.append(data)

    async def connect(self, session_id: str | None = None) -> str:
        await self.sio.connect(self.url, headers={"Origin": self.origin}, socketio_path="/socket.io/",
                               transports=["polling"], wait_timeout=30)
        await self.sio.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), 30)

    async def close(self) -> None:
        # a long-polling client notices its own disconnect only at the next poll
        try:
            await asyncio.wait_for(self.sio.disconnect(), 2)
        except asyncio.TimeoutError:
            pass
