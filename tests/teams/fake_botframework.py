"""A fake Bot Framework on localhost: what the Teams channel talks to, with nothing from Microsoft.

It serves the OpenID metadata and a JWKS holding a freshly generated RSA key, issues access
tokens to the right client id and secret only, signs the tokens that Teams would send with each
activity, and records every reply posted to its serviceUrl with the Authorization it came with.
Runs an aiohttp server in a background thread with its own event loop.
"""
from __future__ import annotations

import asyncio
import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any, Dict, List

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
SCOPE = "https://api.botframework.com/.default"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Reply:
    conversation_id: str
    reply_to_id: str | None
    authorization: str | None
    activity: Dict[str, Any]


class FakeBotFramework:
    def __init__(self, app_id: str, app_password: str, tenant: str = "11111111-2222-3333-4444-555555555555",
                 token_lifetime: int = 3600) -> None:
        self.app_id = app_id
        self.app_password = app_password
        self.tenant = tenant
        self.token_lifetime = token_lifetime
        self.key = new_key()
        self.kid = "fake-key-" + secrets.token_hex(4)
        self.endorsements = ["msteams"]  # as Microsoft's keys have: the channels each key signs for
        self.access_tokens: List[str] = []
        self.replies: List[Reply] = []
        self.token_requests: List[Dict[str, str]] = []
        self.jwks_requests = 0
        self.metadata_requests = 0
        self.reply_status = 200
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    # --- addresses the channel is configured with

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/v1/.well-known/openidconfiguration"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/{{tenant}}/oauth2/v2.0/token"

    @property
    def service_url(self) -> str:
        return f"{self.base_url}/teams/"

    def environment(self) -> Dict[str, str]:
        return {
            "MICROSOFT_APP_ID": self.app_id,
            "MICROSOFT_APP_PASSWORD": self.app_password,
            "MICROSOFT_APP_TENANT_ID": self.tenant,
            "TEAMS_OPENID_METADATA_URL": self.metadata_url,
            "TEAMS_TOKEN_URL": self.token_url,
            "TEAMS_TOKEN_ISSUER": ISSUER,
            "TEAMS_ALLOW_HTTP_SERVICE_URL": "true",  # the fake's serviceUrl is http://127.0.0.1
        }

    # --- what Teams would send

    def token(self, key: rsa.RSAPrivateKey | None = None, kid: str | None = None, **claims: Any) -> str:
        """A token as the Bot Framework signs it; keyword arguments replace claims (None removes one)."""
        now = int(time.time())
        body: Dict[str, Any] = {"iss": ISSUER, "aud": self.app_id, "iat": now - 10, "nbf": now - 10,
                                "exp": now + 3600, "serviceurl": self.service_url}
        body.update(claims)
        body = {name: value for name, value in body.items() if value is not None}
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def unsigned_token(self, **claims: Any) -> str:
        """The same claims with `alg: none` and no signature, as an attacker would send them."""
        signed = jwt.decode(self.token(**claims), options={"verify_signature": False})
        header = {"alg": "none", "kid": self.kid, "typ": "JWT"}
        return ".".join(_b64(json.dumps(part).encode()) for part in (header, signed)) + "."

    def replies_to(self, conversation_id: str) -> List[Reply]:
        with self._lock:
            return [reply for reply in self.replies if reply.conversation_id == conversation_id]

    def wait_for_replies(self, conversation_id: str, count: int = 1, timeout: float = 30) -> List[Reply]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replies = self.replies_to(conversation_id)
            if len(replies) >= count:
                return replies
            time.sleep(0.05)
        return self.replies_to(conversation_id)

    # --- the server

    def start(self) -> FakeBotFramework:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=30)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)

    def __enter__(self) -> FakeBotFramework:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._jwks)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._issue_token)
        app.router.add_post("/teams/v3/conversations/{conversation}/activities", self._reply)
        app.router.add_post("/teams/v3/conversations/{conversation}/activities/{reply_to}", self._reply)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _metadata(self, request: web.Request) -> web.Response:
        self.metadata_requests += 1
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.base_url}/v1/.well-known/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _jwks(self, request: web.Request) -> web.Response:
        self.jwks_requests += 1
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": self.kid, "use": "sig", "endorsements": self.endorsements})
        return web.json_response({"keys": [jwk]})

    async def _issue_token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        with self._lock:
            self.token_requests.append({"tenant": request.match_info["tenant"], **{k: str(v) for k, v in form.items()}})
        if (request.match_info["tenant"] != self.tenant or form.get("grant_type") != "client_credentials"
                or form.get("client_id") != self.app_id or form.get("client_secret") != self.app_password
                or form.get("scope") != SCOPE):
            return web.json_response({"error": "invalid_client"}, status=401)
        token = "fake-access-" + secrets.token_hex(8)
        with self._lock:
            self.access_tokens.append(token)
        return web.json_response({"token_type": "Bearer", "expires_in": self.token_lifetime, "access_token": token})

    async def _reply(self, request: web.Request) -> web.Response:
        reply = Reply(request.match_info["conversation"], request.match_info.get("reply_to"),
                      request.headers.get("Authorization"), await request.json())
        with self._lock:
            self.replies.append(reply)
        if reply.authorization not in {f"Bearer {token}" for token in self.access_tokens}:
            return web.json_response({"error": "unauthorized"}, status=401)
        return web.json_response({"id": secrets.token_hex(6)}, status=self.reply_status)
