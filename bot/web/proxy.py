"""Forwards the chat's socket.io traffic and the channel webhooks to the Rasa server.

The page and its socket.io connection then share one origin, and the Rasa server
can listen on localhost only: port 8080 is the one door.
"""
from __future__ import annotations

import asyncio
import logging

import aiohttp
from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

logger = logging.getLogger(__name__)

UPSTREAM = web.AppKey("upstream", str)
CLIENT = web.AppKey("client", aiohttp.ClientSession)
# Headers that describe one hop, not the message (RFC 9110 7.6.1), plus those aiohttp recomputes.
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length", "content-encoding",
})
TIMEOUT = aiohttp.ClientTimeout(total=120, sock_connect=10)


def _forwarded_headers(headers: CIMultiDictProxy[str], remote: str | None) -> CIMultiDict[str]:
    kept = CIMultiDict((name, value) for name, value in headers.items() if name.lower() not in HOP_BY_HOP)
    if remote:
        kept["X-Forwarded-For"] = remote
    return kept


async def forward(request: web.Request) -> web.StreamResponse:
    upstream = request.app[UPSTREAM] + request.rel_url.path_qs
    if request.headers.get("Upgrade", "").lower() == "websocket":
        return await _forward_websocket(request, upstream)
    try:
        async with request.app[CLIENT].request(
            request.method, upstream, data=await request.read(), allow_redirects=False, timeout=TIMEOUT,
            headers=_forwarded_headers(request.headers, request.remote),
        ) as response:
            body = await response.read()
            return web.Response(status=response.status, body=body,
                                headers=_forwarded_headers(response.headers, None))
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.warning("The assistant is not reachable: %s", type(error).__name__)
        return web.json_response({"error": "The assistant is not reachable just now. Please try again."},
                                 status=502)


async def _forward_websocket(request: web.Request, upstream: str) -> web.StreamResponse:
    headers = {name: request.headers[name] for name in ("Origin", "Cookie") if name in request.headers}
    try:
        assistant = await request.app[CLIENT].ws_connect(upstream.replace("http", "ws", 1), headers=headers)
    except aiohttp.WSServerHandshakeError as refused:
        # e.g. an origin the assistant does not accept: the browser gets the same answer
        return web.Response(status=refused.status, text="The assistant refused the connection.")
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.warning("The assistant's socket is not reachable: %s", type(error).__name__)
        return web.Response(status=502, text="The assistant is not reachable just now.")
    browser = web.WebSocketResponse()
    try:
        await browser.prepare(request)
        pumps = [asyncio.create_task(_pump(browser, assistant)), asyncio.create_task(_pump(assistant, browser))]
        _, pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
    finally:
        await assistant.close()
        await browser.close()
    return browser


async def _pump(source: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
                target: web.WebSocketResponse | aiohttp.ClientWebSocketResponse) -> None:
    async for message in source:
        if target.closed:
            return
        if message.type == aiohttp.WSMsgType.TEXT:
            await target.send_str(message.data)
        elif message.type == aiohttp.WSMsgType.BINARY:
            await target.send_bytes(message.data)
        else:
            return
