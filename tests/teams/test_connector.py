"""The outgoing side: the bot's access token and replies posted to the fake Bot Connector."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Tuple

import pytest

from bot.channels.teams.config import TeamsConfig
from bot.channels.teams.connector import Connector, ConversationReference, TokenError, TokenSource
from bot.channels.teams.http import HttpClient
from tests.fixtures import Clock
from tests.teams.fake_botframework import FakeBotFramework
from tests.teams.helpers import APP_ID, APP_PASSWORD, BOT_ID


def tokens_for(fake: FakeBotFramework, http: HttpClient, clock: Clock, password: str = APP_PASSWORD) -> TokenSource:
    config = TeamsConfig.load({}, fake.environment())
    return TokenSource(http, config.token_url, APP_ID, password, clock=clock)


def with_connector(fake: FakeBotFramework, body: Callable[[Connector, TokenSource, Clock], Awaitable[Any]],
                   password: str = APP_PASSWORD) -> Any:
    async def go() -> Any:
        http, clock = HttpClient(), Clock(1000.0)
        tokens = tokens_for(fake, http, clock, password)
        try:
            return await body(Connector(http, tokens), tokens, clock)
        finally:
            await http.close()

    return asyncio.run(go())


def reference(fake: FakeBotFramework, conversation_id: str = "a:1personal", reply_to: str | None = "1700000000001",
              service_url: str | None = None) -> ConversationReference:
    return ConversationReference(service_url or fake.service_url, {"id": conversation_id},
                                 {"id": BOT_ID}, {"id": "29:practitioner"}, reply_to)


def test_the_token_comes_from_the_tenant_with_client_credentials_and_is_reused(fake: FakeBotFramework) -> None:
    async def body(connector: Connector, tokens: TokenSource, clock: Clock) -> Tuple[bool, bool]:
        first = await tokens.token()
        clock.now += 3000  # an hour's token is kept until five minutes before it expires
        second = await tokens.token()
        clock.now += 300
        third = await tokens.token()
        return first == second, third != first

    assert with_connector(fake, body) == (True, True)
    assert len(fake.token_requests) == 2
    request = fake.token_requests[0]
    assert request == {"tenant": fake.tenant, "grant_type": "client_credentials", "client_id": APP_ID,
                       "client_secret": APP_PASSWORD, "scope": "https://api.botframework.com/.default"}


def test_concurrent_replies_share_one_token_request(fake: FakeBotFramework) -> None:
    async def body(connector: Connector, tokens: TokenSource, clock: Clock) -> list:
        return await asyncio.gather(*(connector.send(reference(fake), {"text": f"reply {n}"}) for n in range(5)))

    assert with_connector(fake, body) == [True] * 5
    assert len(fake.token_requests) == 1 and len(fake.replies) == 5


def test_a_short_lived_token_is_renewed_at_half_its_life(fake: FakeBotFramework) -> None:
    fake.token_lifetime = 60

    async def body(connector: Connector, tokens: TokenSource, clock: Clock) -> int:
        await tokens.token()
        clock.now += 29
        await tokens.token()
        clock.now += 1
        await tokens.token()
        return tokens.fetches

    assert with_connector(fake, body) == 2


def test_a_reply_goes_to_the_conversation_in_reply_to_the_activity(fake: FakeBotFramework) -> None:
    conversation_id = "19:abc123@thread.tacv2;messageid=1700000000000"

    async def body(connector: Connector, tokens: TokenSource, clock: Clock) -> bool:
        return await connector.send(reference(fake, conversation_id), {"text": "**hello**", "textFormat": "markdown"})

    assert with_connector(fake, body)
    [reply] = fake.replies
    assert reply.conversation_id == conversation_id and reply.reply_to_id == "1700000000001"
    assert reply.authorization == f"Bearer {fake.access_tokens[0]}"
    assert reply.activity == {"type": "message", "from": {"id": BOT_ID}, "recipient": {"id": "29:practitioner"},
                              "conversation": {"id": conversation_id}, "replyToId": "1700000000001",
                              "text": "**hello**", "textFormat": "markdown"}


def test_without_an_activity_id_the_reply_is_sent_to_the_conversation(fake: FakeBotFramework) -> None:
    async def body(connector: Connector, tokens: TokenSource, clock: Clock) -> bool:
        return await connector.send(reference(fake, reply_to=None), {"text": "hi"})

    assert with_connector(fake, body)
    assert fake.replies[0].reply_to_id is None and "replyToId" not in fake.replies[0].activity


def test_a_revoked_token_is_replaced_once(fake: FakeBotFramework) -> None:
    async def body(connector: Connector, tokens: TokenSource, clock: Clock) -> Tuple[bool, bool]:
        first = await connector.send(reference(fake), {"text": "one"})
        fake.access_tokens.clear()  # the Bot Connector no longer accepts the cached token
        return first, await connector.send(reference(fake), {"text": "two"})

    assert with_connector(fake, body) == (True, True)
    assert len(fake.token_requests) == 2
    assert [reply.activity["text"] for reply in fake.replies] == ["one", "two", "two"]


def test_failures_are_logged_without_text_or_secret_and_not_raised(
    fake: FakeBotFramework, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    async def wrong_password(connector: Connector, tokens: TokenSource, clock: Clock) -> bool:
        return await connector.send(reference(fake), {"text": "Jayden is missing"})

    assert with_connector(fake, wrong_password, password="not-the-secret") is False
    assert fake.replies == []

    async def rejected(connector: Connector, tokens: TokenSource, clock: Clock) -> bool:
        fake.reply_status = 500
        return await connector.send(reference(fake), {"text": "Jayden is missing"})

    assert with_connector(fake, rejected) is False

    async def unreachable(connector: Connector, tokens: TokenSource, clock: Clock) -> bool:
        return await connector.send(reference(fake, service_url="http://127.0.0.1:9/"), {"text": "Jayden is missing"})

    assert with_connector(fake, unreachable) is False
    errors = [record.getMessage() for record in caplog.records if record.name.startswith("bot.channels.teams")]
    assert len(errors) == 3, errors
    logged = " ".join(errors)
    assert "Jayden" not in logged and "not-the-secret" not in logged and APP_PASSWORD not in logged
    assert "fake-access" not in logged


def test_a_token_endpoint_without_a_token_is_an_error(fake: FakeBotFramework) -> None:
    async def go() -> None:
        http = HttpClient()
        try:
            with pytest.raises(TokenError):
                await TokenSource(http, fake.metadata_url, APP_ID, APP_PASSWORD).token()  # JSON, but no token
        finally:
            await http.close()

    asyncio.run(go())


def test_configuration_comes_from_credentials_then_the_environment() -> None:
    environ = {"MICROSOFT_APP_ID": "env-id", "MICROSOFT_APP_PASSWORD": "env-secret",
               "MICROSOFT_APP_TENANT_ID": "tenant-guid"}
    config = TeamsConfig.load({"app_id": "yaml-id", "app_password": None}, environ)
    assert (config.app_id, config.app_password) == ("yaml-id", "env-secret")
    assert config.token_url == "https://login.microsoftonline.com/tenant-guid/oauth2/v2.0/token"
    assert config.openid_metadata_url == "https://login.botframework.com/v1/.well-known/openidconfiguration"
    assert config.token_issuer == "https://api.botframework.com"
    assert config.configured
    multi = TeamsConfig.load(None, {"MICROSOFT_APP_ID": "x"})
    assert multi.token_url == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    assert not multi.configured and multi.missing() == ["MICROSOFT_APP_PASSWORD"]


def test_a_conversation_id_with_url_characters_arrives_intact(fake: FakeBotFramework) -> None:
    odd = "a:1 odd?id#with%chars"

    async def body(connector: Connector, tokens: TokenSource, clock: Clock) -> bool:
        return await connector.send(reference(fake, odd, reply_to="1/2"), {"text": "hi"})

    assert with_connector(fake, body)
    assert (fake.replies[0].conversation_id, fake.replies[0].reply_to_id) == (odd, "1/2")
