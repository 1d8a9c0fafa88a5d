"""The web app: the chat page at /, its assets, and the way through to the Rasa server."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable

import aiohttp
import jinja2
from aiohttp import web

from bot import settings
from bot.content.welcome import partnership_name, welcome
from bot.review import add_routes as add_review_routes
from bot.web import proxy

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
VENDOR = STATIC / "vendor"
VENDOR_FILES = ("socket.io.min.js", "marked.umd.js", "purify.min.js")
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
PARTNERSHIP = web.AppKey("partnership", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def content_security_policy(host: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"connect-src 'self' ws://{host} wss://{host}",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    if not isinstance(response, web.WebSocketResponse):
        response.headers.setdefault("Content-Security-Policy", content_security_policy(request.host))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


async def chat_page(request: web.Request) -> web.Response:
    html = TEMPLATES.get_template("chat.html").render(partnership=partnership_name(request.app[PARTNERSHIP]))
    return web.Response(text=html, content_type="text/html", headers={"Cache-Control": "no-store"})


async def welcome_message(request: web.Request) -> web.Response:
    return web.json_response(welcome(request.app[PARTNERSHIP]))


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def missing_assets() -> list[str]:
    return [name for name in VENDOR_FILES if not (VENDOR / name).is_file()]


def create_app(rasa_url: str, partnership_id: str | None = None) -> web.Application:
    missing = missing_assets()
    if missing:
        raise RuntimeError(f"Web chat assets missing from {VENDOR}: {', '.join(missing)}. Run `make install`.")
    app = web.Application(middlewares=[security_headers], client_max_size=1024 ** 2)
    app[PARTNERSHIP] = partnership_id or settings.partnership_id()
    app[proxy.UPSTREAM] = rasa_url.rstrip("/")
    app.cleanup_ctx.append(_client_session)
    app.router.add_get("/", chat_page)
    app.router.add_get("/chat/welcome.json", welcome_message)
    app.router.add_get("/health", health)
    app.router.add_static("/static/", STATIC)
    proxy.add_routes(app)
    add_review_routes(app)
    return app


async def _client_session(app: web.Application) -> AsyncIterator[None]:
    async with aiohttp.ClientSession(auto_decompress=True) as client:
        app[proxy.CLIENT] = client
        yield


def run(port: int, rasa_url: str, host: str = "0.0.0.0") -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # aiohttp's access log would show each request's query string; socket.io's carries the session id
    web.run_app(create_app(rasa_url), host=host, port=port, access_log=None, print=None)
    logger.info("Web chat stopped")
