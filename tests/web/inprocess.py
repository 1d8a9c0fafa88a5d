"""The web app served in-process in front of a fake Rasa that records what reaches it."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Dict, List, Tuple

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import create_app


@dataclass
class FakeRasa:
    """Answers every forwarded path with 200 and keeps (method, path, headers, body) of each request."""

    seen: List[Tuple[str, str, Dict[str, str], bytes]] = field(default_factory=list)
    frames: List[str] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            socket = web.WebSocketResponse()
            await socket.prepare(request)
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self.frames.append(message.data)
                    await socket.send_str("ok")
            return socket
        body = await request.read()
        self.seen.append((request.method, request.path, dict(request.headers), body))
        return web.json_response([{"text": "answer"}])


def environment(monkeypatch: pytest.MonkeyPatch, tmp_path, **settings: str) -> None:
    """What create_app reads: a dashboard key and database of the test's own, and any settings given."""
    monkeypatch.setenv("REVIEW_SESSION_KEY", "k" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'querylog.db'}")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


def serve(scenario: Callable[[TestClient, FakeRasa], Awaitable[None]]) -> None:
    """Runs scenario against create_app in front of a FakeRasa, on a loop in a thread of its own."""

    async def run() -> None:
        rasa = FakeRasa()
        async with TestServer(rasa.app()) as upstream:
            app = create_app(str(upstream.make_url("")))
            async with TestClient(TestServer(app)) as client:
                await scenario(client, rasa)

    with ThreadPoolExecutor(max_workers=1) as thread:  # Playwright's sync API may run a loop in this one
        thread.submit(asyncio.run, run()).result()
