"""The front door against the real action server, Rasa server and web app: each bad-request class gets its
4xx from the web app and never reaches Rasa (no traceback in its log, no query-log row); the rate limit."""
from __future__ import annotations

import asyncio
import gzip
import json
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
import requests
from sqlalchemy import create_engine, text

from tests.fixtures import free_port
from tests.servers import web_app
from tests.web.helpers import Assistant
from tests.web.test_socketio_sessions import run

JSON = {"Content-Type": "application/json"}


def rest(assistant: Assistant) -> str:
    return f"{assistant.web_url}/webhooks/rest/webhook"


def logged_senders(assistant: Assistant) -> int:
    """How many query-log rows there are (the action server writes one per answered message)."""
    engine = create_engine(f"sqlite:///{assistant.directory / 'querylog.db'}")
    try:
        with engine.connect() as db:
            return db.execute(text("SELECT COUNT(*) FROM query_log")).scalar_one()
    finally:
        engine.dispose()


BAD = [
    ("no message", json.dumps({"sender": "door"}), JSON, 400),
    ("message null", json.dumps({"sender": "door", "message": None}), JSON, 400),
    ("message a number", json.dumps({"sender": "door", "message": 12}), JSON, 400),
    ("sender an object", json.dumps({"sender": {"a": 1}, "message": "hello"}), JSON, 400),
    ("no sender", json.dumps({"message": "hello"}), JSON, 400),
    ("invalid JSON", '{"sender": "door", "message": "hel', JSON, 400),
    ("message too long", json.dumps({"sender": "door", "message": "word " * 401}), JSON, 400),
    ("form content type", "sender=door&message=hello", {}, 415),
    ("gzip", gzip.compress(json.dumps({"sender": "door", "message": "hello"}).encode()),
     {**JSON, "Content-Encoding": "gzip"}, 415),
    ("oversized", json.dumps({"sender": "door", "message": "x" * 50_000}), JSON, 413),
]


@pytest.mark.parametrize("body, headers, status", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_rest_request_gets_a_clear_4xx_and_never_reaches_rasa(assistant: Assistant, body, headers,
                                                                    status: int) -> None:
    rows, log_before = logged_senders(assistant), assistant.servers.logs()
    response = requests.post(rest(assistant), data=body, headers=headers, timeout=30)
    assert response.status_code == status
    assert response.json()["error"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # a good message afterwards is answered: then anything the bad one did would be in the log by now
    good = requests.post(rest(assistant), json={"sender": f"door-{uuid.uuid4().hex}", "message": "hello"}, timeout=60)
    assert good.status_code == 200 and good.json()
    new_log = assistant.servers.logs()[len(log_before):]
    assert "Traceback" not in new_log
    assert logged_senders(assistant) <= rows + 1


def test_a_message_of_2000_characters_is_answered(assistant: Assistant) -> None:
    message = ("a child in our care has not come back tonight " * 50)[:2000]
    response = requests.post(rest(assistant), json={"sender": "door-long", "message": message}, timeout=60)
    assert response.status_code == 200 and response.json()


def test_a_body_too_large_is_refused_before_it_is_sent(assistant: Assistant) -> None:
    """Only the headers go: the web app answers 413 at once, without waiting for the body."""
    address = urlsplit(assistant.web_url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 1000000000\r\n\r\n")
        assert connection.recv(64).startswith(b"HTTP/1.1 413")


async def over_a_websocket(assistant: Assistant, message: str) -> tuple:
    """Engine.IO 4 and socket.io spoken by hand over aiohttp's websocket client: (closed, close code, answers)."""
    answers: list = []
    url = assistant.web_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url, headers={"Origin": assistant.web_url}) as socket:

            async def event() -> list | None:
                while True:
                    frame = await asyncio.wait_for(socket.receive(), 60)
                    if frame.type != aiohttp.WSMsgType.TEXT:
                        return None
                    if frame.data == "2":  # ping
                        await socket.send_str("3")
                    elif frame.data.startswith("42"):
                        return json.loads(frame.data[2:])

            assert (await socket.receive()).data.startswith("0")  # open
            await socket.send_str("40")
            assert (await socket.receive()).data.startswith("40")  # connected to the namespace
            await socket.send_str('42["session_request",{"session_id":null}]')
            confirmed = await event()
            assert confirmed and confirmed[0] == "session_confirm"
            await socket.send_str("42" + json.dumps(["user_uttered", {"message": message,
                                                                      "session_id": confirmed[1]}]))
            answer = await event()
            if answer is not None:
                answers.append(answer)
            return socket.closed, socket.close_code, answers


def test_a_long_socketio_message_is_refused_at_the_door(assistant: Assistant) -> None:
    """Over a websocket, the door closes the socket (1009): no answer comes; a message at the limit is answered."""
    closed, code, answers = run(lambda: over_a_websocket(assistant, "hello " * 400))  # 2,400 characters
    assert closed and code == 1009 and answers == []
    closed, code, answers = run(lambda: over_a_websocket(assistant, ("hello " * 400)[:2000]))
    assert not closed and answers and answers[0][0] == "bot_uttered"


@pytest.fixture(scope="module")
def strict_web_app(assistant: Assistant, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A second web app in front of the same Rasa, allowing one message a minute per address."""
    port = free_port()
    env = {**assistant.servers.environment(), "WEB_MESSAGES_PER_MINUTE": "1",
           "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
    log: Path = tmp_path_factory.mktemp("strict") / "web.log"
    with web_app(port, assistant.servers.rasa_port, env, log) as url:
        yield url


def test_messages_over_the_rate_limit_get_429_and_retry_after(strict_web_app: str) -> None:
    url = f"{strict_web_app}/webhooks/rest/webhook"
    first = requests.post(url, json={"sender": "door-rate", "message": "hello"}, timeout=60)
    assert first.status_code == 200
    second = requests.post(url, json={"sender": "door-rate", "message": "hello"}, timeout=60)
    assert second.status_code == 429
    assert 1 <= int(second.headers["Retry-After"]) <= 60
    assert "Too many messages" in second.json()["error"]
    assert second.headers["Content-Security-Policy"].startswith("default-src 'self'")
    # the chat page itself is not limited
    assert requests.get(f"{strict_web_app}/", timeout=30).status_code == 200
