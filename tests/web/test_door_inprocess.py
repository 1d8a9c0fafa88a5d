"""The front door in-process, before a fake Rasa that records what reaches it: every bad request class stops
at the door with its 4xx and nothing reaches Rasa; good requests go through; the rate limits; headers."""
from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import WSCloseCode, WSMsgType
from aiohttp.test_utils import TestClient

from bot.querylog.records import MAX_TEXT_LENGTH
from bot.web import door
from bot.web.app import CONTENT_SECURITY_POLICY, TEMPLATES
from tests.web.inprocess import FakeRasa, environment, serve

REST = "/webhooks/rest/webhook"
JSON = {"Content-Type": "application/json"}
GOOD = {"sender": "door-test", "message": "who do I tell if a child goes missing?"}


@pytest.fixture(autouse=True)
def settings(monkeypatch, tmp_path) -> None:
    environment(monkeypatch, tmp_path)


def test_one_message_limit_the_page_the_door_and_the_log_share() -> None:
    assert door.MAX_MESSAGE_LENGTH == MAX_TEXT_LENGTH == 2000
    assert 'maxlength="2000"' in TEMPLATES.loader.get_source(TEMPLATES, "chat.html")[0]


BAD_REST = [
    ("no message", json.dumps({"sender": "a"}), JSON, 400, "`message` is missing"),
    ("message null", json.dumps({"sender": "a", "message": None}), JSON, 400, "`message` is missing"),
    ("message a number", json.dumps({"sender": "a", "message": 42}), JSON, 400, "not a string"),
    ("message a list", json.dumps({"sender": "a", "message": ["hi"]}), JSON, 400, "not a string"),
    ("message empty", json.dumps({"sender": "a", "message": "  "}), JSON, 400, "empty"),
    ("message too long", json.dumps({"sender": "a", "message": "x" * 2001}), JSON, 400, "longer than 2,000"),
    ("no sender", json.dumps({"message": "hi"}), JSON, 400, "`sender`"),
    ("sender a number", json.dumps({"sender": 7, "message": "hi"}), JSON, 400, "`sender`"),
    ("sender an object", json.dumps({"sender": {"id": 1}, "message": "hi"}), JSON, 400, "`sender`"),
    ("sender too long", json.dumps({"sender": "s" * 257, "message": "hi"}), JSON, 400, "longer than 256"),
    ("invalid JSON", '{"sender": "a", "message": ', JSON, 400, "not valid JSON"),
    ("not an object", json.dumps(["hi"]), JSON, 400, "JSON object"),
    ("deeply nested", "[" * 5000 + "]" * 5000, JSON, 400, "JSON"),
    ("form content type", "sender=a&message=hi", {"Content-Type": "application/x-www-form-urlencoded"}, 415,
     "Content-Type: application/json"),
    ("text content type", json.dumps(GOOD), {"Content-Type": "text/plain"}, 415, "application/json"),
    ("gzip", json.dumps(GOOD), {**JSON, "Content-Encoding": "gzip"}, 415, "Compressed"),
    ("deflate", json.dumps(GOOD), {**JSON, "Content-Encoding": "deflate"}, 415, "Compressed"),
    ("oversized", json.dumps({"sender": "a", "message": "x" * 20_000}), JSON, 413, "larger than 16 KiB"),
    ("message_id a number", json.dumps({**GOOD, "message_id": 7}), JSON, 400, "`message_id`"),
    ("message_id empty", json.dumps({**GOOD, "message_id": ""}), JSON, 400, "`message_id`"),
    ("message_id too long", json.dumps({**GOOD, "message_id": "m" * 65}), JSON, 400, "`message_id`"),
    ("message_id with spaces", json.dumps({**GOOD, "message_id": "a b"}), JSON, 400, "`message_id`"),
]


@pytest.mark.parametrize("body, headers, status, reason", [case[1:] for case in BAD_REST],
                         ids=[case[0] for case in BAD_REST])
def test_a_bad_rest_request_stops_at_the_door(body: str, headers, status: int, reason: str) -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        response = await client.post(REST, data=body.encode(), headers=headers)
        assert response.status == status
        assert reason in (await response.json())["error"]
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert rasa.seen == []

    serve(scenario)


def test_a_chunked_body_over_the_limit_is_cut_off() -> None:
    async def chunks():
        for _ in range(40):
            yield b"x" * 1024

    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        response = await client.post(REST, data=chunks(), headers=JSON)
        assert response.status == 413
        assert rasa.seen == []

    serve(scenario)


async def head_only(client: TestClient, path: str, headers: dict) -> str:
    """Sends a POST's headers and no body, and returns the status line: the answer cannot wait for the body."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    lines = [f"POST {path} HTTP/1.1", f"Host: {client.host}", *(f"{name}: {value}" for name, value in headers.items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 60)
    writer.close()
    return status.decode()


@pytest.mark.parametrize("path, length", [(REST, 16 * 1024 + 1), ("/webhooks/teams/webhook", 256 * 1024 + 1),
                                          ("/socket.io/?EIO=4&transport=polling", 64 * 1024 + 1),
                                          (REST, 10 ** 9)])
def test_a_body_too_large_is_refused_on_its_length_before_it_is_read(path: str, length: int) -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        status = await head_only(client, path, {**JSON, "Content-Length": str(length)})
        assert status.startswith("HTTP/1.1 413")
        assert rasa.seen == []

    serve(scenario)


def test_other_methods_are_refused() -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        for method in ("GET", "PUT", "DELETE"):
            response = await client.request(method, REST)
            assert response.status == 405, method
        assert (await client.request("PUT", "/webhooks/teams/webhook")).status == 405
        assert rasa.seen == []

    serve(scenario)


def test_a_good_rest_request_goes_through_with_only_sender_and_message() -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        message = "ü" * 2000  # exactly the limit, in characters not bytes
        body = {"sender": "door-test", "message": message, "input_channel": "teams", "metadata": {"x": 1}}
        response = await client.post(REST, json=body)
        assert response.status == 200 and await response.json() == [{"text": "answer"}]
        [(method, path, headers, forwarded)] = rasa.seen
        assert (method, path) == ("POST", REST)
        assert json.loads(forwarded) == {"sender": "door-test", "message": message}  # no input_channel
        assert headers["Content-Type"] == "application/json"
        assert headers["X-Forwarded-For"] == "127.0.0.1"

    serve(scenario)


def test_a_rest_clients_message_id_goes_through_so_a_message_sent_again_is_known() -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        body = {"sender": "door-test", "message": "hi", "message_id": "a1B2-c3_d4.e5:f6" + "x" * 48}
        response = await client.post(REST, json=body)
        assert response.status == 200
        [(_method, _path, _headers, forwarded)] = rasa.seen
        assert json.loads(forwarded) == body

    serve(scenario)


def test_the_teams_webhook_takes_json_objects_up_to_256_kib() -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        url = "/webhooks/teams/webhook"
        activity = {"type": "message", "text": "hi", "padding": "x" * 200_000}
        good = await client.post(url, json=activity, headers={"Authorization": "Bearer t"})
        assert good.status == 200
        assert rasa.seen[0][2]["Authorization"] == "Bearer t" and json.loads(rasa.seen[0][3]) == activity
        for data, headers, status in [
            (b"not json", JSON, 400), (b"[1]", JSON, 400), (json.dumps(activity).encode(), {}, 415),
            (json.dumps(activity).encode(), {**JSON, "Content-Encoding": "br"}, 415),
        ]:
            assert (await client.post(url, data=data, headers=headers)).status == status
        assert len(rasa.seen) == 1
        assert (await client.get("/webhooks/teams/")).status == 200

    serve(scenario)


def socketio_event(message: object, prefix: str = "42") -> str:
    return prefix + json.dumps(["user_uttered", {"message": message, "session_id": "0" * 32}])


@pytest.mark.parametrize("payload, status", [
    pytest.param(socketio_event("x" * 2001), 400, id="long"),
    pytest.param("3\x1e" + socketio_event("y" * 5000), 400, id="long after a pong"),
    pytest.param(socketio_event("x" * 2001, prefix="42/chat,17"), 400, id="long with namespace and ack id"),
    pytest.param('42["user_uttered",', 400, id="invalid JSON"),
    pytest.param("42{}", 400, id="not a list"),
    pytest.param("4" + "2" * 70_000, 413, id="over 64 KiB"),
])
def test_a_bad_socketio_polling_post_stops_at_the_door(payload: str, status: int) -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        response = await client.post("/socket.io/?EIO=4&transport=polling&sid=abc", data=payload.encode(),
                                     headers={"Content-Type": "text/plain;charset=UTF-8"})
        assert response.status == status
        assert rasa.seen == []

    serve(scenario)


def test_good_socketio_polling_posts_go_through() -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        # events without text go on too: the channel ignores them
        payload = ('42["session_request",{"session_id":null}]\x1e' + socketio_event("z" * 2000) + "\x1e"
                   + socketio_event(42) + '\x1e42["user_uttered","just a string"]')
        response = await client.post("/socket.io/?EIO=4&transport=polling&sid=abc", data=payload.encode(),
                                     headers={"Content-Type": "text/plain;charset=UTF-8"})
        assert response.status == 200
        assert rasa.seen[0][3] == payload.encode()

    serve(scenario)


@pytest.mark.parametrize("frame, code", [
    pytest.param(socketio_event("x" * 2001), WSCloseCode.MESSAGE_TOO_BIG, id="long"),
    pytest.param("42not json", WSCloseCode.POLICY_VIOLATION, id="invalid JSON"),
    pytest.param("4" + "2" * 20_000, WSCloseCode.MESSAGE_TOO_BIG, id="over the 16 KiB frame limit"),
])
def test_a_bad_websocket_frame_closes_the_socket_and_stays_at_the_door(frame: str, code: int) -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        socket = await client.ws_connect("/socket.io/?EIO=4&transport=websocket")
        for fine in (socketio_event("a fine question"), socketio_event(None)):
            await socket.send_str(fine)
            assert (await socket.receive()).data == "ok"
        await socket.send_str(frame)
        closing = await socket.receive()
        assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
        assert socket.close_code == code
        assert rasa.frames == [socketio_event("a fine question"), socketio_event(None)]

    serve(scenario)


def test_messages_over_the_rate_limit_get_429_with_retry_after(monkeypatch, tmp_path) -> None:
    environment(monkeypatch, tmp_path, WEB_MESSAGES_PER_MINUTE="2")

    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        statuses = [(await client.post(REST, json=GOOD)).status for _ in range(2)]
        refused = await client.post(REST, json=GOOD)
        assert statuses == [200, 200] and refused.status == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 30
        assert "Too many messages" in (await refused.json())["error"]
        assert refused.headers["X-Content-Type-Options"] == "nosniff"
        assert len(rasa.seen) == 2
        # socket.io messages share the bucket; other socket.io requests do not use it up
        payload = socketio_event("hello").encode()
        assert (await client.post("/socket.io/?EIO=4&transport=polling", data=payload)).status == 429
        assert (await client.post("/socket.io/?EIO=4&transport=polling", data=b"3")).status == 200

    serve(scenario)


def test_websocket_messages_over_the_rate_limit_close_the_socket(monkeypatch, tmp_path) -> None:
    environment(monkeypatch, tmp_path, WEB_MESSAGES_PER_MINUTE="1")

    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        socket = await client.ws_connect("/socket.io/?EIO=4&transport=websocket")
        await socket.send_str(socketio_event("first"))
        assert (await socket.receive()).data == "ok"
        await socket.send_str(socketio_event("second"))
        await socket.receive()
        assert socket.close_code == WSCloseCode.TRY_AGAIN_LATER
        assert rasa.frames == [socketio_event("first")]

    serve(scenario)


def test_requests_over_the_rate_limit_get_429(monkeypatch, tmp_path) -> None:
    environment(monkeypatch, tmp_path, WEB_REQUESTS_PER_MINUTE="3", WEB_TEAMS_REQUESTS_PER_MINUTE="1")

    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        statuses = [(await client.get("/socket.io/?EIO=4&transport=polling")).status for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert (await client.post(REST, json=GOOD)).status == 429  # the same bucket
        # Teams has its own, and the chat page and the dashboard have none
        assert (await client.get("/webhooks/teams/")).status == 200
        assert (await client.get("/webhooks/teams/")).status == 429
        assert (await client.get("/health")).status == 200
        assert len(rasa.seen) == 4

    serve(scenario)


def test_the_client_address_behind_a_trusted_proxy(monkeypatch, tmp_path) -> None:
    environment(monkeypatch, tmp_path, WEB_MESSAGES_PER_MINUTE="1", WEB_TRUSTED_PROXIES="127.0.0.1")

    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        def by(address: str) -> dict:
            return {"X-Forwarded-For": f"198.51.100.9, {address}"}  # the first hop is the client's to forge

        assert (await client.post(REST, json=GOOD, headers=by("203.0.113.1"))).status == 200
        assert (await client.post(REST, json=GOOD, headers=by("203.0.113.2"))).status == 200
        assert (await client.post(REST, json=GOOD, headers=by("203.0.113.1"))).status == 429
        assert rasa.seen[0][2]["X-Forwarded-For"] == "203.0.113.1"

    serve(scenario)


def test_a_forged_forwarded_header_is_ignored_without_a_trusted_proxy(monkeypatch, tmp_path) -> None:
    environment(monkeypatch, tmp_path, WEB_MESSAGES_PER_MINUTE="1")

    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        assert (await client.post(REST, json=GOOD, headers={"X-Forwarded-For": "203.0.113.1"})).status == 200
        assert (await client.post(REST, json=GOOD, headers={"X-Forwarded-For": "203.0.113.2"})).status == 429

    serve(scenario)


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/nothing-here", 404),
    ("POST", "/", 405),
    ("GET", "/review", 301),
    ("GET", "/review/", 303),
    ("GET", "/review/nothing-here", 404),
    ("POST", REST, 400),
    ("GET", "/", 200),
    ("GET", "/static/chat.css", 200),
])
def test_every_response_has_the_security_headers(method: str, path: str, status: int) -> None:
    async def scenario(client: TestClient, rasa: FakeRasa) -> None:
        response = await client.request(method, path, allow_redirects=False, data=b"{}", headers={
            **JSON, "Host": "evil.example"})
        assert response.status == status
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "evil" not in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        if path.startswith("/review"):
            assert response.headers["Cache-Control"] == "no-store"

    serve(scenario)
