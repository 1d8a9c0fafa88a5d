"""Forwards the chat's socket.io traffic and the channel webhooks to the Rasa server.

The page and its socket.io connection then share one origin, and the Rasa server
can listen on localhost only: port 8080 is the one door. Only the exact paths in
FORWARDED_PATHS go through, each to the same fixed path upstream, so nothing a
client writes in a path (`..`, `%2f`) can reach any other part of Rasa.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Tuple

import aiohttp
from aiohttp import WSCloseCode, web
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bot.web import door

logger = logging.getLogger(__name__)

UPSTREAM = web.AppKey("upstream", str)
CLIENT = web.AppKey("client", aiohttp.ClientSession)
FORWARDED_PATHS = (  # each has its rules at the front door (door.py)
    "/socket.io/",
    "/webhooks/rest/webhook",
    "/webhooks/teams/webhook",
    "/webhooks/teams/",
)
# Headers that describe one hop, not the message (RFC 9110 7.6.1), those aiohttp recomputes,
# and forwarding headers a client could forge (X-Forwarded-For is set here).
NOT_FORWARDED = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length", "content-encoding",
    "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip",
})
TIMEOUT = aiohttp.ClientTimeout(total=120, sock_connect=10)


def _forwarded_headers(headers: CIMultiDictProxy[str], remote: str | None) -> CIMultiDict[str]:
    kept = CIMultiDict((name, value) for name, value in headers.items() if name.lower() not in NOT_FORWARDED)
    if remote:
        kept["X-Forwarded-For"] = remote
    return kept


def upstream_url(request: web.Request) -> URL:
    """The route's own fixed path on the Rasa server, with the request's query string as it came."""
    path = request.match_info.route.resource.canonical  # type: ignore[union-attr]
    return URL(request.app[UPSTREAM] + path + _query(request), encoded=True)


def _query(request: web.Request) -> str:
    raw = request.rel_url.raw_query_string
    return f"?{raw}" if raw else ""


def add_routes(app: web.Application) -> None:
    for path in FORWARDED_PATHS:
        app.router.add_route("*", path, forward)


async def forward(request: web.Request) -> web.StreamResponse:
    upstream = upstream_url(request)
    try:
        body = await door.admit(request, request.match_info.route.resource.canonical)  # type: ignore[union-attr]
    except door.Refused as refused:
        return refused.response()
    if request.headers.get("Upgrade", "").lower() == "websocket":
        return await _forward_websocket(request, upstream)
    headers = _forwarded_headers(request.headers, request[door.CLIENT])
    if body is not None and request.path == door.REST:
        headers["Content-Type"] = "application/json"
    try:
        async with request.app[CLIENT].request(
            request.method, upstream, data=body or None, allow_redirects=False, timeout=TIMEOUT,
            headers=headers,
        ) as response:
            payload = await response.read()
            return web.Response(status=response.status, body=payload,
                                headers=_forwarded_headers(response.headers, None))
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.warning("The assistant is not reachable: %s", type(error).__name__)
        return web.json_response({"error": "The assistant is not reachable just now. Please try again."},
                                 status=502)


async def _forward_websocket(request: web.Request, upstream: URL) -> web.StreamResponse:
    browser = web.WebSocketResponse(max_msg_size=door.MAX_WEBSOCKET_FRAME)
    if not browser.can_prepare(request).ok:
        return web.Response(status=400, text="Not a valid websocket request.")
    headers = {name: request.headers[name] for name in ("Origin", "Cookie") if name in request.headers}
    try:
        assistant = await request.app[CLIENT].ws_connect(upstream.with_scheme("ws"), headers=headers)
    except aiohttp.WSServerHandshakeError as refused:
        # e.g. an origin the assistant does not accept: the browser gets the same answer
        return web.Response(status=refused.status, text="The assistant refused the connection.")
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.warning("The assistant's socket is not reachable: %s", type(error).__name__)
        return web.Response(status=502, text="The assistant is not reachable just now.")
    try:
        await browser.prepare(request)
        pumps = [asyncio.create_task(_pump(browser, assistant, request)),
                 asyncio.create_task(_pump(assistant, browser))]
        _, pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    finally:
        await assistant.close()
        if browser.prepared:
            await browser.close()
    return browser


async def _pump(source: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
                target: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
                browser: web.Request | None = None) -> None:
    """Frames from source to target; from the browser (a request is given), each checked at the door first."""
    async for message in source:
        if target.closed:
            return
        if message.type == aiohttp.WSMsgType.TEXT:
            if browser is not None:
                refusal = _refusal(browser, message.data)
                if refusal is not None:
                    await source.close(code=refusal[0], message=refusal[1].encode()[:120])
                    return
            await target.send_str(message.data)
        elif message.type == aiohttp.WSMsgType.BINARY:
            await target.send_bytes(message.data)
        else:
            return


def _refusal(request: web.Request, frame: str) -> Tuple[int, str] | None:
    """The close code and reason for a frame the door refuses, or None to let it through."""
    gate = door.door(request)
    try:
        messages = door.socketio_messages([frame])
    except door.Refused as refused:
        return WSCloseCode.POLICY_VIOLATION, refused.reason
    for text in messages:
        if gate.messages.take(request[door.CLIENT]):
            return WSCloseCode.TRY_AGAIN_LATER, "Too many messages: wait and try again"
        if door.too_long(text):
            return WSCloseCode.MESSAGE_TOO_BIG, f"Message longer than {door.MAX_MESSAGE_LENGTH} characters"
    return None
