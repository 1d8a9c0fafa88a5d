"""The dashboard's forms: small urlencoded bodies only, checked before they are read, parsed off the event loop.

Every POST to /review is a form of a few fields (login, log-out, classes). Before anything is read, the
request must say it is `application/x-www-form-urlencoded`, uncompressed, with a Content-Length of at most
MAX_FORM_BYTES; anything else is refused (415, 411 or 413) without reading the body. The body, once read,
is parsed in the dashboard's thread pool, and the result kept on the request for the CSRF check and the
handler alike.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from aiohttp import web
from multidict import MultiDict, MultiDictProxy

from bot.review import auth

FORM_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 16 * 1024
MAX_FIELDS = 20
PARSED = "review_form"  # request key: the parsed form


class FormError(Exception):
    """A POST the dashboard will not read: the status and what the page says."""

    def __init__(self, status: int, problem: str) -> None:
        super().__init__(problem)
        self.status, self.problem = status, problem


def check(request: web.Request) -> None:
    """Raises FormError unless the request announces a small urlencoded form: nothing is read."""
    if request.content_type != FORM_TYPE:
        raise FormError(415, "The dashboard accepts only its own forms (application/x-www-form-urlencoded).")
    if request.headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity"):
        raise FormError(415, "The dashboard does not accept compressed forms.")
    if request.content_length is None:
        raise FormError(411, "A form must be sent with its length (Content-Length).")
    if request.content_length > MAX_FORM_BYTES:
        raise FormError(413, f"The form is larger than {MAX_FORM_BYTES // 1024} KiB.")


async def read(request: web.Request) -> MultiDictProxy[str]:
    """The request's form, checked (FormError), read and parsed once."""
    if PARSED in request:
        return request[PARSED]
    if request.content_length == 0 and not request.headers.get("Content-Encoding"):
        request[PARSED] = MultiDictProxy(MultiDict())  # no body: an empty form (the CSRF check refuses it)
        return request[PARSED]
    check(request)
    body = await request.read()  # no more than Content-Length, checked above
    try:
        pairs = await auth.in_thread(request, _parse, body, request.charset or "utf-8")
    except (ValueError, LookupError):
        raise FormError(400, "The form could not be read.") from None
    request[PARSED] = MultiDictProxy(MultiDict(pairs))
    return request[PARSED]


def _parse(body: bytes, charset: str) -> list:
    return parse_qsl(body.decode(charset), keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FIELDS)
