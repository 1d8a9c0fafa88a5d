"""The web app: the chat page at /, its assets, and the way through to the Rasa server."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import AsyncIterator

import aiohttp
import jinja2
from aiohttp import web

from bot import settings
from bot.content.welcome import partnership_name, welcome
from bot.review import add_routes as add_review_routes
from bot.web import door, proxy

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
VENDOR = STATIC / "vendor"
VENDOR_FILES = ("socket.io.min.js", "marked.umd.js", "purify.min.js")
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
PARTNERSHIP = web.AppKey("partnership", str)
MAX_BODY = max(door.MAX_BODY.values())  # any other route reads at most this (the dashboard checks its own)


# Built from constants only, never from the request (a forged Host header cannot change it). 'self' covers
# the page's own ws: and wss: origin (CSP Level 3); a browser that does not follow that uses long-polling.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
DASHBOARD_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


async def security_headers(request: web.BaseRequest, response: web.StreamResponse) -> None:
    """On every response the app sends, as it is sent: pages, files, errors (404, 405, 413, 400, 429, …) and
    redirects alike, raised or returned, from the router, the front door or the dashboard."""
    if isinstance(response, web.WebSocketResponse):
        return
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path == "/review" or request.path.startswith("/review/"):
        response.headers.update(DASHBOARD_HEADERS)


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
    # auto_decompress off: a compressed body is never inflated (a "zip bomb" could not be), only refused
    app = web.Application(client_max_size=MAX_BODY, handler_args={"auto_decompress": False})
    app.on_response_prepare.append(security_headers)
    app[PARTNERSHIP] = partnership_id or settings.partnership_id()
    app[door.DOOR] = door.Door.from_settings()
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
