"""The front door: what a request to a forwarded path must be before anything of it reaches Rasa.

Every request to /socket.io/ and the webhooks passes here first (proxy.forward calls `admit`):

- rate limits per client address (ratelimit.TokenBucket, in this process's memory): HTTP requests to the
  chat and REST paths, messages (REST posts and socket.io `user_uttered` events, over polling or an open
  websocket), and requests to the Teams webhook, each with a bucket of its own; over the limit: 429 with
  Retry-After;
- only the methods each path serves (405);
- no compressed bodies (Content-Encoding other than identity: 415), bodies no larger than the path needs
  (413, refused on Content-Length before anything is read, or as soon as a chunked body passes the limit);
- the REST webhook: a JSON object (415 for another content type, 400 for invalid JSON) with a non-empty
  string `sender` of at most 256 characters and a non-empty string `message` of at most 2,000 characters
  (400), and an optional `message_id` (1 to 64 letters, digits, `-_.:`); only those fields go on to Rasa,
  so a client cannot choose the channel its message is logged under;
- the Teams webhook: a JSON object of at most 256 KiB (the channel checks Bot Framework's signature);
- socket.io: a `user_uttered` event's text (`message`) may have at most 2,000 characters, on a polling POST
  (else 400) and on a websocket (else the socket is closed: 1009 for a long message, 1008 for an event
  that cannot be read, 1013 over the rate limit); websocket frames are limited to 16 KiB. An event without
  text goes on: the channel (bot/channels/socketio.py) ignores it.

2,000 characters is the chat page's own limit (maxlength) and what the query log keeps.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Tuple

from aiohttp import web

from bot import settings
from bot.review import ratelimit

MAX_MESSAGE_LENGTH = 2000
MAX_SENDER_LENGTH = 256
# A REST client's own id for a message, so that sending it again after an error is answered, never processed
# twice (bot/channels/rest.py).
MESSAGE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
REST, TEAMS, SOCKETIO = "/webhooks/rest/webhook", "/webhooks/teams/webhook", "/socket.io/"
TEAMS_STATUS = "/webhooks/teams/"
MAX_BODY = {REST: 16 * 1024, TEAMS: 256 * 1024, SOCKETIO: 64 * 1024}
MAX_WEBSOCKET_FRAME = 16 * 1024
METHODS = {REST: ("POST",), TEAMS: ("POST",), TEAMS_STATUS: ("GET", "HEAD"),
           SOCKETIO: ("GET", "HEAD", "POST", "OPTIONS")}
JSON_TYPES = ("application/json",)
RECORD_SEPARATOR = "\x1e"  # between the packets of one Engine.IO polling payload
DOOR = web.AppKey("door", object)
BODY = "door_body"  # request key: the body as checked, what is forwarded
CLIENT = "door_client"  # request key: the client's address


class Refused(Exception):
    """A request stopped at the door: the status and the reason the client is told."""

    def __init__(self, status: int, reason: str, retry_after: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.retry_after = status, reason, retry_after

    def response(self) -> web.Response:
        headers = {"Retry-After": self.retry_after} if self.retry_after else None
        return web.json_response({"error": self.reason}, status=self.status, headers=headers)


@dataclass
class Door:
    requests: ratelimit.TokenBucket
    messages: ratelimit.TokenBucket
    teams: ratelimit.TokenBucket
    trusted: Tuple[ratelimit.Network, ...]

    @classmethod
    def from_settings(cls, env: Mapping[str, str] | None = None) -> Door:
        try:
            trusted = ratelimit.trusted_networks(settings.WEB_TRUSTED_PROXIES.get(env))
        except ValueError as error:
            raise settings.ConfigurationError(str(error)) from None
        return cls(requests=ratelimit.TokenBucket(settings.WEB_REQUESTS_PER_MINUTE.get(env), 60),
                   messages=ratelimit.TokenBucket(settings.WEB_MESSAGES_PER_MINUTE.get(env), 60),
                   teams=ratelimit.TokenBucket(settings.WEB_TEAMS_REQUESTS_PER_MINUTE.get(env), 60),
                   trusted=trusted)

    def take(self, bucket: ratelimit.TokenBucket, client: str, what: str) -> None:
        wait = bucket.take(client)
        if wait:
            raise Refused(429, f"Too many {what} from your address. Please wait and try again.",
                          ratelimit.retry_after(wait))


def door(request: web.Request) -> Door:
    return request.app[DOOR]  # type: ignore[return-value]


async def admit(request: web.Request, path: str) -> bytes | None:
    """The body to forward (None for none) if the request may go on to Rasa; else raises Refused."""
    gate = door(request)
    client = request[CLIENT] = ratelimit.client_address(request, gate.trusted)
    gate.take(gate.teams if path in (TEAMS, TEAMS_STATUS) else gate.requests, client, "requests")
    if request.method not in METHODS[path]:
        raise Refused(405, f"{path} does not accept {request.method} requests.")
    if request.method != "POST":
        return None
    if path == REST:
        gate.take(gate.messages, client, "messages")
    body = await _body(request, MAX_BODY[path])
    if path == REST:
        return _rest(request, body)
    if path == TEAMS:
        _json_object(request, body)
        return body
    for message in socketio_messages(body.decode("utf-8", errors="replace").split(RECORD_SEPARATOR)):
        gate.take(gate.messages, client, "messages")
        if too_long(message):
            raise Refused(400, f"A chat message is longer than {MAX_MESSAGE_LENGTH:,} characters.")
    return body


async def _body(request: web.Request, limit: int) -> bytes:
    """The body, read up to limit: refused on its Content-Length before anything is read, or as soon as a
    chunked body passes the limit. A compressed body is read as it came (never inflated), then refused."""
    if request.content_length is not None and request.content_length > limit:
        raise Refused(413, f"The request body is larger than {limit // 1024} KiB.")
    chunks, size = [], 0
    while True:
        chunk = await request.content.readany()
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"The request body is larger than {limit // 1024} KiB.")
        chunks.append(chunk)
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise Refused(415, "Compressed request bodies are not accepted: send them without Content-Encoding.")
    return b"".join(chunks)


def _json_object(request: web.Request, body: bytes) -> Dict[str, Any]:
    if request.content_type not in JSON_TYPES:
        raise Refused(415, "Send the request as JSON, with Content-Type: application/json.")
    try:
        value = json.loads(body.decode(request.charset or "utf-8"))
    except (ValueError, RecursionError, LookupError):
        raise Refused(400, "The request body is not valid JSON.") from None
    if not isinstance(value, dict):
        raise Refused(400, "The request body must be a JSON object.")
    return value


def _rest(request: web.Request, body: bytes) -> bytes:
    payload = _json_object(request, body)
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise Refused(400, "`sender` is missing or not a string: name the conversation, e.g. \"sender\": \"user-1\".")
    if len(sender) > MAX_SENDER_LENGTH:
        raise Refused(400, f"`sender` is longer than {MAX_SENDER_LENGTH} characters.")
    message = payload.get("message")
    if not isinstance(message, str):
        raise Refused(400, "`message` is missing or not a string.")
    check_message(message)
    forwarded = {"sender": sender, "message": message}
    message_id = payload.get("message_id")
    if message_id is not None:
        if not isinstance(message_id, str) or not MESSAGE_ID.fullmatch(message_id):
            raise Refused(400, "`message_id` must be 1 to 64 letters, digits, '-', '_', '.' or ':'.")
        forwarded["message_id"] = message_id
    return json.dumps(forwarded).encode("utf-8")


def too_long(message: Any) -> bool:
    """A socket.io message over the limit. An event without text is left to the channel, which ignores it."""
    return isinstance(message, str) and len(message) > MAX_MESSAGE_LENGTH


def check_message(message: str) -> None:
    if not message.strip():
        raise Refused(400, "`message` is empty.")
    if len(message) > MAX_MESSAGE_LENGTH:
        raise Refused(400, f"`message` is longer than {MAX_MESSAGE_LENGTH:,} characters.")


def socketio_messages(packets: Any) -> list:
    """The `message` of every socket.io `user_uttered` event in Engine.IO packets (text, as sent).

    An Engine.IO message packet is "4" and a socket.io packet; a socket.io event is "2", an optional
    namespace ("/name,"), an optional acknowledgement id (digits), then a JSON array: the event's name and
    its data. Raises Refused for an event that cannot be read. Binary events cannot carry text the
    channel reads, so they are left to the size limits.
    """
    found = []
    for packet in packets:
        if not packet.startswith("42"):
            continue
        rest = packet[2:]
        if rest.startswith("/"):
            rest = rest.partition(",")[2]
        rest = rest.lstrip("0123456789")
        try:
            event = json.loads(rest)
        except (ValueError, RecursionError):
            raise Refused(400, "A socket.io event is not valid JSON.") from None
        if not isinstance(event, list) or not event or not isinstance(event[0], str):
            raise Refused(400, "A socket.io event must be a list starting with its name.")
        if event[0] == "user_uttered":
            data = event[1] if len(event) > 1 else None
            found.append(data.get("message") if isinstance(data, dict) else None)
    return found
