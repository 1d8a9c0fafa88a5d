"""What is reachable, by whom: HTTP API token, loopback-only servers, allowed origins, security headers."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
import requests

from bot import serve
from tests.web.helpers import API_TOKEN, Assistant

EVIL = "http://evil.example"


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on the port, read from the kernel's tables."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            # the kernel prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(family, raw))
    return found


def test_http_api_needs_the_token(assistant: Assistant) -> None:
    base = f"http://127.0.0.1:{assistant.servers.rasa_port}"
    assert requests.get(f"{base}/status", timeout=10).status_code == 401
    assert requests.get(f"{base}/conversations/someone/tracker", timeout=10).status_code == 401
    assert requests.get(f"{base}/status", params={"token": "wrong"}, timeout=10).status_code == 401
    assert requests.get(f"{base}/status", params={"token": API_TOKEN}, timeout=10).status_code == 200


def test_web_app_forwards_channels_but_not_the_api(assistant: Assistant) -> None:
    assert requests.get(f"{assistant.web_url}/status", params={"token": API_TOKEN}, timeout=10).status_code == 404
    reply = requests.post(f"{assistant.web_url}/webhooks/rest/webhook",
                          json={"sender": "lockdown", "message": "hello"}, timeout=60)
    assert reply.status_code == 200
    assert "999" in " ".join(message.get("text", "") for message in reply.json())


def test_rasa_and_action_servers_listen_on_loopback_only(assistant: Assistant) -> None:
    for port in (assistant.servers.rasa_port, assistant.servers.actions_port):
        addresses = listening_addresses(port)
        assert addresses, f"nothing listening on {port}"
        assert addresses <= {"127.0.0.1", "::1"}, f"port {port} listens on {addresses}"


def test_cors_allows_only_the_configured_origins(assistant: Assistant) -> None:
    allowed = assistant.web_url
    url = f"http://127.0.0.1:{assistant.servers.rasa_port}/webhooks/rest/webhook"
    good = requests.options(url, headers={"Origin": allowed, "Access-Control-Request-Method": "POST"}, timeout=10)
    assert good.headers.get("Access-Control-Allow-Origin") == allowed
    bad = requests.options(url, headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"}, timeout=10)
    assert bad.headers.get("Access-Control-Allow-Origin") in (None, "")


@pytest.mark.parametrize("through_web_app", [True, False])
def test_socketio_refuses_other_origins(assistant: Assistant, through_web_app: bool) -> None:
    base = assistant.web_url if through_web_app else f"http://127.0.0.1:{assistant.servers.rasa_port}"
    handshake = f"{base}/socket.io/?EIO=4&transport=polling"
    assert requests.get(handshake, headers={"Origin": EVIL}, timeout=10).status_code == 400
    accepted = requests.get(handshake, headers={"Origin": assistant.web_url}, timeout=10)
    assert accepted.status_code == 200 and '"sid"' in accepted.text


def test_chat_page_sends_security_headers(assistant: Assistant) -> None:
    page = requests.get(f"{assistant.web_url}/", timeout=10)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_api_without_a_token_is_refused_at_start() -> None:
    with pytest.raises(serve.ConfigurationError, match="RASA_API_TOKEN"):
        serve.api_arguments({"RASA_ENABLE_API": "true"})
    assert serve.api_arguments({}) == []
    assert serve.api_arguments({"RASA_ENABLE_API": "true", "RASA_API_TOKEN": "t"}) == [
        "--enable-api", "--auth-token", "t"]
    jwt = serve.api_arguments({"RASA_ENABLE_API": "yes", "RASA_JWT_SECRET": "s"})
    assert jwt[:3] == ["--enable-api", "--jwt-secret", "s"]


def test_serve_refuses_an_open_api(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RASA_ENABLE_API", "true")
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    monkeypatch.delenv("RASA_JWT_SECRET", raising=False)
    assert serve.serve(tmp_path / "model.tar.gz") == 2


@pytest.mark.parametrize("path", [
    "/webhooks/..%2fstatus", "/webhooks/%2e%2e/version", "/webhooks/a/../../status",
    "/webhooks/rest/webhook/..%2f..%2f..%2fstatus", "/webhooks/..%2fconversations%2fabc%2ftracker",
    "/socket.io/..%2f..%2fstatus", "/webhooks/rest/", "/version", "/conversations/abc/tracker",
])
def test_no_path_through_the_web_app_reaches_the_api(assistant: Assistant, path: str) -> None:
    response = requests.get(f"{assistant.web_url}{path}", params={"token": API_TOKEN}, timeout=10)
    assert response.status_code == 404
    assert "version" not in response.text.lower() and "events" not in response.text


def test_a_broken_websocket_upgrade_is_refused_cleanly(assistant: Assistant) -> None:
    headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Origin": assistant.web_url}
    response = requests.get(f"{assistant.web_url}/socket.io/?EIO=4&transport=websocket", headers=headers, timeout=10)
    assert response.status_code == 400
    assert requests.get(f"{assistant.web_url}/health", timeout=10).status_code == 200
