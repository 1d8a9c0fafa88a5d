"""Concurrent simulated practitioners on the web chat's socket.io channel, through the web app.

A socket.io answer is several `bot_uttered` events with no end marker, so a turn counts as
answered at its first event, and the user sends the next message once the answer has been
quiet for SETTLE_SECONDS (that wait is not counted in the latency). The clients use socket.io's
HTTP long-polling transport: python-engineio's websocket client needs a newer aiohttp than Rasa 3.6
allows (browsers start with polling too, then upgrade).
"""
from __future__ import annotations

import asyncio
import time
from typing import Dict, Sequence

import socketio

from bench.load import REQUEST_TIMEOUT_SECONDS, Tally, share, summarise

SETTLE_SECONDS = 0.1
DISCONNECT_SECONDS = 2


class _Practitioner:
    def __init__(self, url: str, origin: str, tally: Tally) -> None:
        self.url, self.origin, self.tally = url, origin, tally
        self.client = socketio.AsyncClient(reconnection=False)
        self.session_id: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.last_event = 0.0
        self.finished = 0.0
        self.answered = asyncio.Event()
        self.client.on("session_confirm", self._confirmed)
        self.client.on("bot_uttered", self._uttered)

    async def _confirmed(self, session_id: str) -> None:
        if not self.session_id.done():
            self.session_id.set_result(session_id)

    async def _uttered(self, _: Dict[str, object]) -> None:
        self.last_event = time.perf_counter()
        self.answered.set()

    async def chat(self, texts: Sequence[str], count: int, offset: int) -> None:
        await self.client.connect(self.url, headers={"Origin": self.origin}, socketio_path="/socket.io/",
                                  transports=["polling"], wait_timeout=REQUEST_TIMEOUT_SECONDS)
        try:
            await self.client.emit("session_request", {"session_id": None})
            session_id = await asyncio.wait_for(self.session_id, REQUEST_TIMEOUT_SECONDS)
            for step in range(count):
                await self._turn(session_id, texts[(offset + step) % len(texts)])
            self.finished = time.perf_counter()
        finally:
            # a long-polling client only notices the disconnect at its next poll; don't time that
            try:
                await asyncio.wait_for(self.client.disconnect(), DISCONNECT_SECONDS)
            except asyncio.TimeoutError:
                pass

    async def _turn(self, session_id: str, text: str) -> None:
        self.answered.clear()
        started = time.perf_counter()
        self.tally.sent += 1
        await self.client.emit("user_uttered", {"message": text, "session_id": session_id})
        try:
            await asyncio.wait_for(self.answered.wait(), REQUEST_TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            self.tally.errors += 1
            return
        self.tally.latencies_ms.append((self.last_event - started) * 1000)
        while time.perf_counter() - self.last_event < SETTLE_SECONDS:
            await asyncio.sleep(SETTLE_SECONDS / 4)


async def _bounded(url: str, origin: str, texts: Sequence[str], users: int, total: int,
                   limit: float) -> Dict[str, object]:
    tally = Tally()
    started = time.perf_counter()
    timed_out = False
    failure_types: list[str] = []
    practitioners = [_Practitioner(url, origin, tally) for _ in range(users)]
    chats = [p.chat(texts, share(total, users, i), i * 3) for i, p in enumerate(practitioners)]
    try:
        results = await asyncio.wait_for(asyncio.gather(*chats, return_exceptions=True), timeout=limit)
        failures = [result for result in results if isinstance(result, Exception)]
        tally.errors += len(failures)
        failure_types = sorted({type(failure).__name__ for failure in failures})
    except asyncio.TimeoutError:
        timed_out = True
    finished = max((p.finished for p in practitioners), default=0.0) or time.perf_counter()
    summary = summarise(tally, finished - started, users, total, timed_out)
    summary["settle_s"] = SETTLE_SECONDS
    summary["failures"] = failure_types
    return summary


def run_scenario(url: str, origin: str, texts: Sequence[str], users: int, total: int,
                 limit: float) -> Dict[str, object]:
    """`total` messages over `users` concurrent socket.io users of the web app at `url`."""
    return asyncio.run(_bounded(url, origin, texts, users, total, limit))
