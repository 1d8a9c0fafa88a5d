"""The Teams channel's webhook served by Sanic in-process, with Rasa replaced by a recorder.

The full assistant is tested against the same fake in test_fake_botframework.py; here each
path through the webhook is checked quickly, including the ones Rasa never sees.
"""
from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Tuple

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.teams import TeamsInput
from bot.channels.teams import channel as teams_channel
from bot.channels.teams.channel import MAX_BODY_BYTES
from bot.channels.teams.config import TeamsConfig
from bot.content.welcome import welcome
from tests.fixtures import free_port
from tests.teams.fake_botframework import FakeBotFramework
from tests.teams.helpers import BOT_ID, activity, card_actions, card_text, members_added, mention, message

Handler = Callable[[UserMessage], Awaitable[Any]]


class Chunked(bytes):
    """A body sent with chunked transfer encoding, so without a Content-Length."""

    async def chunks(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self), 16 * 1024):
            yield bytes(self[start:start + 16 * 1024])


def serve(channel: TeamsInput, handler: Handler, requests: List[Tuple[Dict[str, str], bytes]]) -> List[Tuple[int, str]]:
    """Serves the channel's blueprint as Rasa does, posts each request, returns (status, body) for each."""

    async def go() -> List[Tuple[int, str]]:
        Sanic.test_mode = True  # lets several apps start in one process, as sanic-testing does
        app = Sanic(f"teams_test_{uuid.uuid4().hex}")
        app.blueprint(channel.blueprint(handler), url_prefix="/webhooks/teams")
        port = free_port()
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True,
                                         access_log=False)
        await server.startup()
        results = []
        try:
            async with aiohttp.ClientSession() as client:
                async with client.get(f"http://127.0.0.1:{port}/webhooks/teams/") as health:
                    results.append((health.status, await health.text()))
                for headers, body in requests:
                    data = body.chunks() if isinstance(body, Chunked) else body
                    async with client.post(f"http://127.0.0.1:{port}/webhooks/teams/webhook", data=data,
                                           headers={"Content-Type": "application/json", **headers}) as response:
                        results.append((response.status, await response.text()))
        finally:
            await server.close()
            await channel.http.close()
        return results[1:] + results[:1]  # replies to the posts first, the health check last

    return asyncio.run(go())


def post(
    fake: FakeBotFramework, body: Dict[str, Any] | bytes, token: str | None = None
) -> Tuple[Dict[str, str], bytes]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return {"Authorization": f"Bearer {token or fake.token()}"}, data


class Recorder:
    """Stands in for Rasa: records each message and answers it through the channel's output."""

    def __init__(self, answer: Dict[str, Any] | None = None, fail: bool = False) -> None:
        self.messages: List[UserMessage] = []
        self.answer = answer
        self.fail = fail

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.fail:
            raise RuntimeError(f"cannot handle {message.text}")
        if self.answer:
            await message.output_channel.send_response(message.sender_id, dict(self.answer))


def channel_for(fake: FakeBotFramework) -> TeamsInput:
    return TeamsInput(TeamsConfig.load({}, fake.environment()))


def test_a_message_reaches_rasa_as_teams_and_the_answer_is_posted_back(fake: FakeBotFramework) -> None:
    rasa = Recorder({"text": "Call the police.\n- 999", "buttons": [{"title": "Found", "payload": "/child_found"}]})
    incoming = message(fake.service_url, "<at>Missing children assistant</at> who do I tell about <at>Sam</at>?",
                       entities=[mention(BOT_ID, "Missing children assistant"), mention("29:sam", "Sam")])
    [(status, _), (health_status, health)] = serve(channel_for(fake), rasa, [post(fake, incoming)])
    assert status == 200 and health_status == 200 and "ok" in health
    [user_message] = rasa.messages
    assert user_message.text == "who do I tell about Sam?"
    assert user_message.sender_id == incoming["conversation"]["id"]
    assert user_message.input_channel == "teams" and user_message.output_channel.name() == "teams"
    assert not user_message.metadata  # names and e-mail addresses in the activity stay out of Rasa
    [reply] = fake.replies
    assert reply.conversation_id == incoming["conversation"]["id"] and reply.reply_to_id == incoming["id"]
    assert reply.authorization == f"Bearer {fake.access_tokens[0]}"
    assert reply.activity["textFormat"] == "markdown" and reply.activity["recipient"]["id"] == "29:practitioner"
    assert card_text(reply.activity) == "Call the police.\n\n- 999"
    assert [action["data"]["payload"] for action in card_actions(reply.activity)] == ["/child_found"]


def test_a_card_press_reaches_rasa_as_its_payload(fake: FakeBotFramework) -> None:
    rasa = Recorder({"text": "When a missing child is found:"})
    pressed = message(fake.service_url, "", value={"payload": "/child_found"})
    assert serve(channel_for(fake), rasa, [post(fake, pressed)])[0][0] == 200
    assert [m.text for m in rasa.messages] == ["/child_found"]
    assert fake.replies[0].activity["text"] == "When a missing child is found:"


def test_a_new_member_gets_the_welcome_without_rasa(fake: FakeBotFramework) -> None:
    rasa = Recorder()
    joined = members_added(fake.service_url, "29:practitioner")
    assert serve(channel_for(fake), rasa, [post(fake, joined)])[0][0] == 200
    assert rasa.messages == []
    [reply] = fake.replies
    greeting = welcome()
    assert card_text(reply.activity).startswith(greeting["text"].splitlines()[0])
    assert [a["title"] for a in card_actions(reply.activity)] == [b["title"] for b in greeting["buttons"]]


@pytest.mark.parametrize("body", [
    {"type": "typing"},
    {"type": "messageReaction", "reactionsAdded": [{"type": "like"}]},
    {"type": "conversationUpdate", "membersRemoved": [{"id": "29:practitioner"}]},
    {"type": "installationUpdate", "action": "add"},
    {"type": "message", "text": "   "},
    {"type": "message", "text": "<at>Bot</at>"},
    {"type": "message", "attachments": [{"contentType": "image/png", "contentUrl": "https://x/y.png"}]},
])
def test_other_activities_are_acknowledged_and_ignored(fake: FakeBotFramework, body: Dict[str, Any]) -> None:
    rasa = Recorder({"text": "should not be sent"})
    full = {**activity(body["type"], fake.service_url), **body}
    assert serve(channel_for(fake), rasa, [post(fake, full)])[0][0] == 200
    assert rasa.messages == [] and fake.replies == []


def test_a_message_without_service_url_or_conversation_is_not_answered(fake: FakeBotFramework) -> None:
    rasa = Recorder({"text": "answer"})
    no_conversation = {**message(fake.service_url, "hello"), "conversation": {}}
    results = serve(channel_for(fake), rasa, [post(fake, no_conversation)])
    assert results[0][0] == 200 and rasa.messages == [] and fake.replies == []


def test_refused_requests_reach_nothing_and_log_nothing(
    fake: FakeBotFramework, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rasa = Recorder({"text": "answer"})
    secret_text = "Jayden Okafor has gone missing"
    attacker = "https://attacker.example/"
    bad = [
        ({}, message(fake.service_url, secret_text)),
        ({"Authorization": "Bearer not-a-token"}, message(fake.service_url, secret_text)),
        ({"Authorization": f"Bearer {fake.token(aud='someone-else')}"}, message(fake.service_url, secret_text)),
        ({"Authorization": f"Bearer {fake.token()}"}, message(attacker, secret_text)),
        # a good signature without a serviceurl claim must not send our token where the body says
        ({"Authorization": f"Bearer {fake.token(serviceurl=None)}"}, message(fake.service_url, secret_text)),
        ({"Authorization": f"Bearer {fake.token(serviceurl=None)}"}, message(attacker, secret_text)),
        ({"Authorization": f"Bearer {fake.token()}"}, message(fake.service_url, secret_text, channelId="webchat")),
    ]
    requests = [(headers, json.dumps(body).encode()) for headers, body in bad]
    results = serve(channel_for(fake), rasa, requests)
    assert [status for status, _ in results[:-1]] == [401] * len(bad)
    assert rasa.messages == [] and fake.replies == [] and fake.access_tokens == []
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Jayden" not in logged and "eyJ" not in logged


def test_a_bad_authorization_header_is_refused_before_the_body_is_read(
    fake: FakeBotFramework, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: List[Any] = []
    real_body = teams_channel._body

    async def recording_body(request: Any, *args: Any) -> bytes:
        read.append(request)
        return await real_body(request, *args)

    monkeypatch.setattr(teams_channel, "_body", recording_body)
    monkeypatch.setattr(teams_channel, "_json", lambda body: read.append(body) or json.loads(body))
    body = json.dumps(message(fake.service_url, "hello")).encode()
    headers = [{}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer"},
               {"Authorization": "Bearer not-a-token"}, {"Authorization": f"Bearer {fake.unsigned_token()}"},
               {"Authorization": f"Bearer {fake.token(aud='someone-else')}"},
               {"Authorization": f"Bearer {fake.token(serviceurl=None)}"}]
    results = serve(channel_for(fake), Recorder(), [(header, body) for header in headers])
    assert [status for status, _ in results[:-1]] == [401] * len(headers)
    assert read == []
    assert fake.jwks_requests == 1  # only the signed tokens needed the keys


def test_a_body_that_is_not_an_activity_is_refused(fake: FakeBotFramework) -> None:
    rasa = Recorder()
    no_type = {"serviceUrl": fake.service_url, "channelId": "msteams", "text": "hello"}
    results = serve(channel_for(fake), rasa, [
        post(fake, no_type),  # from Teams for this serviceUrl, but not an activity
        post(fake, {**no_type, "type": 5}),
        # a body without a serviceUrl cannot be matched to the token
        post(fake, b"{not json"),
        post(fake, b"[1, 2]"),
        post(fake, b"{not json", fake.token(serviceurl=None)),
    ])
    assert [status for status, _ in results[:-1]] == [400, 400, 401, 401, 401]
    assert rasa.messages == []


def test_a_body_over_256_kb_is_refused_unread(fake: FakeBotFramework) -> None:
    rasa = Recorder({"text": "answer"})
    big = message(fake.service_url, "hello", channelData={"padding": "x" * MAX_BODY_BYTES})
    big_body = json.dumps(big).encode()
    near = message(fake.service_url, "hello", channelData={"padding": "x" * (MAX_BODY_BYTES - 2000)})
    near_body = json.dumps(near).encode()
    assert len(near_body) <= MAX_BODY_BYTES < len(big_body)
    results = serve(channel_for(fake), rasa, [
        post(fake, big_body),
        (post(fake, big)[0], Chunked(big_body)),  # no Content-Length to go by
        ({}, big_body),  # not even a token: refused as unauthorized first
        post(fake, near_body),
        (post(fake, near)[0], Chunked(near_body)),
    ])
    assert [status for status, _ in results[:-1]] == [413, 413, 401, 200, 200]
    assert [m.text for m in rasa.messages] == ["hello", "hello"]
    assert [reply.conversation_id for reply in fake.replies] == [near["conversation"]["id"]] * 2


def test_an_http_service_url_is_refused_unless_the_test_setting_allows_it(fake: FakeBotFramework) -> None:
    rasa = Recorder({"text": "answer"})
    production = TeamsInput(TeamsConfig.load({"allow_http_service_url": False}, fake.environment()))
    results = serve(production, rasa, [post(fake, message(fake.service_url, "hello"))])
    assert results[0][0] == 401 and rasa.messages == [] and fake.replies == [] and fake.access_tokens == []


@pytest.mark.parametrize("credentials, environ, allowed", [
    ({}, {}, False),
    ({}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "true"}, True),
    ({}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "TRUE"}, True),
    ({}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "false"}, False),
    ({}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "no"}, False),
    ({}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "yes"}, True),
    ({}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "1"}, True),
    # only 1, true and yes open http:// reply addresses: anything else, "on" included, leaves them off
    ({}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "on"}, False),
    ({}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "maybe"}, False),
    ({"allow_http_service_url": True}, {}, True),
    ({"allow_http_service_url": "true"}, {}, True),
    ({"allow_http_service_url": 1}, {}, True),
    ({"allow_http_service_url": "on"}, {}, False),
    ({"allow_http_service_url": "on"}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "true"}, False),
    ({"allow_http_service_url": ""}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "true"}, True),
    ({"allow_http_service_url": False}, {"TEAMS_ALLOW_HTTP_SERVICE_URL": "true"}, False),
])
def test_http_service_urls_are_off_unless_set(credentials: Dict[str, Any], environ: Dict[str, str],
                                             allowed: bool) -> None:
    assert TeamsConfig.load(credentials, environ).allow_http_service_url is allowed


def test_an_error_in_rasa_is_logged_without_text_and_acknowledged(
    fake: FakeBotFramework, caplog: pytest.LogCaptureFixture
) -> None:
    rasa = Recorder(fail=True)
    results = serve(channel_for(fake), rasa, [post(fake, message(fake.service_url, "Jayden is missing"))])
    assert results[0][0] == 200 and len(rasa.messages) == 1
    logged = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("bot.channels.teams"))
    assert "RuntimeError" in logged and "Jayden" not in logged


def test_without_app_id_and_password_the_webhook_answers_503(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    channel = TeamsInput(TeamsConfig.load({}, {}))
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("bot.channels.teams")]
    assert len(warnings) == 1 and "MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD" in warnings[0]
    rasa = Recorder()
    [(status, text), (health_status, health)] = serve(channel, rasa, [({}, b"{}")])
    assert status == 503 and "MICROSOFT_APP_ID" in text and "MICROSOFT_APP_PASSWORD" in text
    assert health_status == 200 and "not configured" in health
    assert rasa.messages == []


def test_from_credentials_reads_the_environment(monkeypatch: pytest.MonkeyPatch, fake: FakeBotFramework) -> None:
    for name, value in fake.environment().items():
        monkeypatch.setenv(name, value)
    channel = TeamsInput.from_credentials(None)
    assert channel.name() == "teams" and channel.config.configured
    assert channel.config.token_url == fake.token_url.replace("{tenant}", fake.tenant)
    assert BOT_ID.endswith(channel.config.app_id)
