"""Incoming tokens, checked against the fake Bot Framework's OpenID metadata and JWKS."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from typing import Any, Dict

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from bot.channels.teams.auth import Authenticator, AuthError, SigningKeys, parse_jwks
from bot.channels.teams.http import HttpClient
from tests.fixtures import Clock
from tests.teams.fake_botframework import ISSUER, FakeBotFramework, new_key
from tests.teams.helpers import APP_ID, message


def authenticator(keys: SigningKeys, allow_http: bool = True) -> Authenticator:
    # the fake Bot Framework's serviceUrl is http://127.0.0.1
    return Authenticator(keys, APP_ID, ISSUER, allow_http_service_url=allow_http)


def check(fake: FakeBotFramework, token: str | None, activity: Dict[str, Any] | None = None,
          clock: Clock | None = None, scheme: str = "Bearer", allow_http: bool = True) -> Dict[str, Any]:
    """Authenticates one request with a new channel's key cache, as the first request after start-up."""

    async def go() -> Dict[str, Any]:
        http = HttpClient()
        try:
            keys = SigningKeys(http, fake.metadata_url, clock or Clock(1000.0))
            header = None if token is None else f"{scheme} {token}"
            return await authenticator(keys, allow_http).authenticate(header, activity or message(fake.service_url))
        finally:
            await http.close()

    return asyncio.run(go())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: Dict[str, Any], claims: Dict[str, Any], signature: bytes = b"") -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}.{b64(signature)}"


def claims(fake: FakeBotFramework) -> Dict[str, Any]:
    return jwt.decode(fake.token(), options={"verify_signature": False})


def test_a_good_token_is_accepted(fake: FakeBotFramework) -> None:
    assert check(fake, fake.token())["aud"] == APP_ID
    assert check(fake, fake.token(), scheme="bearer")["iss"] == ISSUER


@pytest.mark.parametrize("service_url", ["https://elsewhere.example/", "own"])
def test_a_token_without_serviceurl_is_refused_for_any_activity(fake: FakeBotFramework, service_url: str) -> None:
    # replies go to the activity's serviceUrl with our bot's token: the token must say where
    activity = message(fake.service_url if service_url == "own" else service_url)
    for missing in (None, "", "  ", 42):
        with pytest.raises(AuthError, match="serviceUrl"):
            check(fake, fake.token(serviceurl=missing), activity)


def test_an_http_service_url_is_refused_unless_allowed(fake: FakeBotFramework) -> None:
    http_url = "http://smba.trafficmanager.net/emea/"
    token = fake.token(serviceurl=http_url)
    with pytest.raises(AuthError, match="https"):
        check(fake, token, message(http_url), allow_http=False)
    assert check(fake, token, message(http_url), allow_http=True)
    https_url = "https://smba.trafficmanager.net/emea/"
    assert check(fake, fake.token(serviceurl=https_url), message(https_url), allow_http=False)
    for other in ("ftp://smba.trafficmanager.net/emea/", "javascript:alert(1)", "//smba.trafficmanager.net/"):
        with pytest.raises(AuthError):
            check(fake, fake.token(serviceurl=other), message(other), allow_http=True)


def test_a_trailing_slash_in_the_service_url_does_not_matter(fake: FakeBotFramework) -> None:
    assert check(fake, fake.token(), message(fake.service_url.rstrip("/")))


def test_expiry_has_five_minutes_leeway(fake: FakeBotFramework) -> None:
    now = int(time.time())
    assert check(fake, fake.token(exp=now - 200))
    assert check(fake, fake.token(nbf=now + 200))


@pytest.mark.parametrize("case", [
    "no header", "basic", "not a jwt", "unsigned", "alg none", "hs256 with the public key", "other key, same kid",
    "expired", "not yet valid", "no exp", "wrong audience", "no audience", "wrong issuer", "wrong serviceurl",
    "unknown kid", "no kid", "no serviceurl", "activity without serviceUrl", "activity from another channel",
    "activity without channelId", "key without endorsements", "key endorsed for other channels only",
    "endorsements not a list",
])
def test_bad_tokens_are_refused(fake: FakeBotFramework, case: str) -> None:
    now = int(time.time())
    activity = message(fake.service_url)
    scheme = "Bearer"
    good = claims(fake)
    public_pem = fake.key.public_key().public_bytes(serialization.Encoding.PEM,
                                                    serialization.PublicFormat.SubjectPublicKeyInfo)
    if case == "no header":
        token = None
    elif case == "basic":
        token, scheme = b64(b"user:password"), "Basic"
    elif case == "not a jwt":
        token = "abc.def"
    elif case == "unsigned":
        token = hand_made({"alg": "RS256", "kid": fake.kid, "typ": "JWT"}, good)
    elif case == "alg none":
        token = hand_made({"alg": "none", "kid": fake.kid, "typ": "JWT"}, good)
    elif case == "hs256 with the public key":
        header = b64(json.dumps({"alg": "HS256", "kid": fake.kid, "typ": "JWT"}).encode())
        body = b64(json.dumps(good).encode())
        signature = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
        token = f"{header}.{body}.{b64(signature)}"
    elif case == "other key, same kid":
        token = fake.token(key=new_key())
    elif case == "expired":
        token = fake.token(exp=now - 400, nbf=now - 4000, iat=now - 4000)
    elif case == "not yet valid":
        token = fake.token(nbf=now + 400)
    elif case == "no exp":
        token = fake.token(exp=None)
    elif case == "wrong audience":
        token = fake.token(aud="00000000-0000-0000-0000-000000000000")
    elif case == "no audience":
        token = fake.token(aud=None)
    elif case == "wrong issuer":
        token = fake.token(iss="https://sts.windows.net/attacker/")
    elif case == "wrong serviceurl":
        token = fake.token(serviceurl="https://attacker.example/")
    elif case == "unknown kid":
        token = fake.token(key=new_key(), kid="someone-elses-key")
    elif case == "no kid":
        token = jwt.encode(good, fake.key, algorithm="RS256")
    elif case == "no serviceurl":
        token = fake.token(serviceurl=None)
    elif case == "activity without serviceUrl":
        token = fake.token()
        activity = {key: value for key, value in activity.items() if key != "serviceUrl"}
    elif case == "activity from another channel":
        token = fake.token()
        activity = {**activity, "channelId": "webchat"}
    elif case == "activity without channelId":
        token = fake.token()
        activity = {key: value for key, value in activity.items() if key != "channelId"}
    elif case == "key without endorsements":
        token, fake.endorsements = fake.token(), []
    elif case == "key endorsed for other channels only":
        token, fake.endorsements = fake.token(), ["webchat", "skype"]
    elif case == "endorsements not a list":
        token, fake.endorsements = fake.token(), "msteams"  # type: ignore[assignment]
    with pytest.raises(AuthError) as refused:
        check(fake, token, activity, scheme=scheme)
    assert (token or "x") not in str(refused.value)


def test_keys_are_fetched_once_and_cached(fake: FakeBotFramework) -> None:
    async def go() -> None:
        http = HttpClient()
        keys = SigningKeys(http, fake.metadata_url, Clock(1000.0))
        checker = authenticator(keys)
        try:
            await asyncio.gather(*(checker.authenticate(f"Bearer {fake.token()}", message(fake.service_url))
                                   for _ in range(5)))
        finally:
            await http.close()

    asyncio.run(go())
    assert (fake.metadata_requests, fake.jwks_requests) == (1, 1)


def test_unknown_kids_refetch_at_most_once_a_minute_and_pick_up_a_new_key(fake: FakeBotFramework) -> None:
    clock = Clock(1000.0)
    stranger = fake.token(key=new_key(), kid="unknown")

    async def go() -> None:
        http = HttpClient()
        checker = authenticator(SigningKeys(http, fake.metadata_url, clock))

        async def attempt(token: str) -> bool:
            try:
                await checker.authenticate(f"Bearer {token}", message(fake.service_url))
                return True
            except AuthError:
                return False

        try:
            assert await attempt(fake.token())
            assert fake.jwks_requests == 1
            for _ in range(20):  # made-up kids do not make us fetch again within the minute
                assert not await attempt(stranger)
            assert fake.jwks_requests == 1
            # Microsoft rolls its keys: a token with the new kid is refused until a minute has passed
            fake.key, fake.kid = new_key(), "rolled-key"
            rolled = fake.token()
            clock.now += 30
            assert not await attempt(rolled)
            assert fake.jwks_requests == 1
            clock.now += 31
            assert await attempt(rolled)
            assert fake.jwks_requests == 2
            assert await attempt(fake.token())
            assert fake.jwks_requests == 2
            clock.now += 24 * 60 * 60  # and the set is refreshed daily anyway
            assert await attempt(fake.token())
            assert fake.jwks_requests == 3
        finally:
            await http.close()

    asyncio.run(go())


def test_unreachable_metadata_refuses_without_raising_anything_else(fake: FakeBotFramework) -> None:
    async def go() -> None:
        http = HttpClient()
        keys = SigningKeys(http, "http://127.0.0.1:9/nothing-here", Clock(1000.0))
        try:
            with pytest.raises(AuthError):
                await authenticator(keys).authenticate(f"Bearer {fake.token()}", message(fake.service_url))
        finally:
            await http.close()

    asyncio.run(go())


def test_parse_jwks_keeps_only_usable_rsa_signing_keys(fake: FakeBotFramework) -> None:
    good = jwt.algorithms.RSAAlgorithm.to_jwk(fake.key.public_key(), as_dict=True)
    keys = parse_jwks({"keys": [
        {**good, "kid": "ok", "endorsements": ["msteams", 3]},
        {**good, "kid": "enc", "use": "enc"},
        {**good, "kid": ""},
        {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
        {"kty": "oct", "kid": "secret", "k": "c2VjcmV0"},
        "junk",
    ]})
    assert list(keys) == ["ok"] and keys["ok"].endorsements == frozenset({"msteams"})
    assert parse_jwks(None) == {} and parse_jwks({"keys": "x"}) == {}
