"""End to end: the real Rasa and action servers behind the Teams channel, talking to a fake Bot Framework.

The fake serves OpenID metadata and a JWKS with a freshly generated key, issues access tokens to
the right client only, and records the replies posted to its serviceUrl. One Rasa server for the
module; every test uses its own conversation.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any, Dict, Iterator, List

import pytest
import requests
import sqlalchemy as sa

from bot.channels.teams.package import COMMANDS
from tests.servers import Servers, running
from tests.teams.fake_botframework import FakeBotFramework, Reply, new_key
from tests.teams.helpers import (
    APP_ID,
    APP_PASSWORD,
    BOT_ID,
    card_actions,
    card_text,
    conversation_id,
    members_added,
    mention,
    message,
)

PSEUDONYM_SECRET = "teams-e2e-pseudonym-secret"
MISSING_ANSWER = "If the child is in immediate danger, call 999 now."


@pytest.fixture(scope="module")
def botframework() -> Iterator[FakeBotFramework]:
    with FakeBotFramework(APP_ID, APP_PASSWORD) as fake:
        yield fake


@pytest.fixture(scope="module")
def servers(botframework: FakeBotFramework, tmp_path_factory) -> Iterator[Servers]:
    env = {**botframework.environment(), "PSEUDONYM_SECRET": PSEUDONYM_SECRET}
    with running(tmp_path_factory.mktemp("teams-servers"), extra_env=env) as servers:
        yield servers


def post(servers: Servers, activity: Dict[str, Any], token: str | None) -> requests.Response:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return requests.post(f"http://127.0.0.1:{servers.rasa_port}/webhooks/teams/webhook", json=activity,
                         headers=headers, timeout=60)


def ask(servers: Servers, botframework: FakeBotFramework, activity: Dict[str, Any]) -> List[Reply]:
    response = post(servers, activity, botframework.token())
    assert response.status_code == 200, response.text
    return botframework.wait_for_replies(activity["conversation"]["id"])


def pseudonym(conversation: str) -> str:
    return "p_" + hmac.new(PSEUDONYM_SECRET.encode(), conversation.encode(), hashlib.sha256).hexdigest()[:32]


def query_log(servers: Servers, conversation: str) -> List[sa.Row]:
    engine = sa.create_engine(servers.env["DATABASE_URL"], future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text("SELECT text, intent, channel, is_button, sender FROM query_log WHERE sender = :sender "
                        "ORDER BY id"), {"sender": pseudonym(conversation)}).all()
    finally:
        engine.dispose()


def wait_for_rows(servers: Servers, conversation: str, count: int, timeout: float = 30) -> List[sa.Row]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = query_log(servers, conversation)
        if len(rows) >= count:
            return rows
        time.sleep(0.25)
    return query_log(servers, conversation)


def test_a_signed_question_gets_its_answer_posted_back_with_the_bots_token(
    servers: Servers, botframework: FakeBotFramework
) -> None:
    question = message(botframework.service_url, "a child in our care hasn't come back tonight, who do I tell?")
    replies = ask(servers, botframework, question)
    first = replies[0]
    assert card_text(first.activity).startswith(MISSING_ANSWER)
    assert "Who to notify when a child goes missing" in card_text(first.activity)
    assert first.authorization in {f"Bearer {token}" for token in botframework.access_tokens}
    assert first.reply_to_id == question["id"] and first.activity["replyToId"] == question["id"]
    assert first.activity["textFormat"] == "markdown"
    assert first.activity["recipient"]["id"] == question["from"]["id"]
    [attachment] = first.activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    walkthrough = [a for a in card_actions(first.activity) if a["data"]["payload"] == "/start_missing_walkthrough"]
    assert walkthrough and walkthrough[0]["data"]["msteams"]["displayText"] == "Walk me through it: child missing"
    # single-tenant: the token came from the app's own tenant, for the app's own credentials
    assert botframework.token_requests[0]["tenant"] == botframework.tenant
    assert botframework.token_requests[0]["client_id"] == APP_ID


@pytest.mark.parametrize("case", ["no token", "unsigned", "alg none", "expired", "wrong audience", "wrong issuer",
                                  "wrong serviceurl", "no serviceurl claim", "unknown key"])
def test_a_bad_token_gets_401_and_reaches_nothing(servers: Servers, botframework: FakeBotFramework, case: str) -> None:
    now = int(time.time())
    token = {
        "no token": None,
        "unsigned": botframework.token().rsplit(".", 1)[0] + ".",
        "alg none": botframework.unsigned_token(),
        "expired": botframework.token(exp=now - 600, iat=now - 4000, nbf=now - 4000),
        "wrong audience": botframework.token(aud="00000000-0000-0000-0000-000000000000"),
        "wrong issuer": botframework.token(iss="https://sts.windows.net/someone-else/"),
        "wrong serviceurl": botframework.token(serviceurl="https://attacker.example/"),
        "no serviceurl claim": botframework.token(serviceurl=None),
        "unknown key": botframework.token(key=new_key(), kid="not-microsofts"),
    }[case]
    question = message(botframework.service_url, "Jayden Okafor has gone missing, who do I tell")
    response = post(servers, question, token)
    assert response.status_code == 401
    conversation = question["conversation"]["id"]
    time.sleep(1)
    assert botframework.replies_to(conversation) == []
    assert query_log(servers, conversation) == []
    assert "Jayden" not in servers.logs()


def test_a_new_member_gets_the_welcome_which_is_not_a_query(servers: Servers, botframework: FakeBotFramework) -> None:
    joined = members_added(botframework.service_url, "29:practitioner")
    [reply] = ask(servers, botframework, joined)
    assert "If a child is in immediate danger, call 999 now." in card_text(reply.activity)
    payloads = [action["data"]["payload"] for action in card_actions(reply.activity)]
    assert "/child_missing" in payloads and "/child_found" in payloads
    time.sleep(1)
    assert botframework.replies_to(joined["conversation"]["id"]) == [reply]
    assert query_log(servers, joined["conversation"]["id"]) == []


def test_a_card_button_press_is_understood(servers: Servers, botframework: FakeBotFramework) -> None:
    pressed = message(botframework.service_url, "", value={"payload": "/child_found"})
    replies = ask(servers, botframework, pressed)
    assert "When a missing child is found" in card_text(replies[0].activity)


def test_a_mention_in_a_team_channel_is_understood(servers: Servers, botframework: FakeBotFramework) -> None:
    channel = f"19:{conversation_id()[3:]}@thread.tacv2;messageid=1700000000000"
    question = message(botframework.service_url,
                       "<at>Missing children assistant</at> who carries out the return home interview?",
                       conversation=channel, entities=[mention(BOT_ID, "Missing children assistant")])
    question["conversation"]["conversationType"] = "channel"
    replies = ask(servers, botframework, question)
    assert replies[0].conversation_id == channel
    assert "within 72 hours" in card_text(replies[0].activity).lower()


# What the answer to each command of the Teams app (bot/channels/teams/package.py) says.
COMMAND_ANSWERS = {
    "Report a missing child": "Who to notify when a child goes missing",
    "Missing child found, what now": "When a missing child is found",
    "Return home interview": "return home interview (RHI)",
    "What is the Philomena Protocol": "The Philomena Protocol is a form",
    "How do I escalate a concern": "challenge it",
    "Local contacts": "Local contacts for",
    "What can you help with": "I can answer questions about",
}


@pytest.mark.parametrize("title", [title for title, _ in COMMANDS])
def test_every_command_in_the_teams_app_is_understood(servers: Servers, botframework: FakeBotFramework,
                                                      title: str) -> None:
    # Teams sends the command's title as if typed: it must get its answer, not "did you mean"
    assert title in COMMAND_ANSWERS, f"add the expected answer for the new command {title!r}"
    replies = ask(servers, botframework, message(botframework.service_url, title))
    assert COMMAND_ANSWERS[title] in card_text(replies[0].activity)


def test_queries_are_logged_with_channel_teams_redacted_and_pseudonymous(
    servers: Servers, botframework: FakeBotFramework
) -> None:
    conversation = conversation_id()
    typed = message(botframework.service_url, "<at>Bot</at> Jayden Okafor has gone missing from his foster "
                                              "placement, who do I tell?", conversation=conversation)
    assert card_text(ask(servers, botframework, typed)[0].activity).startswith(MISSING_ANSWER)
    pressed = message(botframework.service_url, "", conversation=conversation, value={"payload": "/child_found"})
    assert post(servers, pressed, botframework.token()).status_code == 200
    rows = wait_for_rows(servers, conversation, 2)
    assert [(row.channel, row.is_button, row.intent) for row in rows] == [
        ("teams", False, "child_missing"), ("teams", True, "child_found")]
    assert "Jayden" not in rows[0].text and "<at>" not in rows[0].text and "[NAME]" in rows[0].text
    assert rows[0].sender == pseudonym(conversation) != conversation
    logs = servers.logs()
    assert "Jayden" not in logs and conversation not in logs
    assert not [token for token in botframework.access_tokens if token in logs]


def test_the_web_app_forwards_teams_calls_with_their_token(servers: Servers, botframework: FakeBotFramework) -> None:
    """Deployed, Bot Framework reaches the channel through port 8080: the token must survive the hop."""
    web_url = servers.start_web()
    url = f"{web_url}/webhooks/teams/webhook"
    question = message(botframework.service_url, "a child in our care hasn't come back tonight, who do I tell?")
    refused = requests.post(url, json=question, timeout=60)
    assert refused.status_code == 401
    answered = requests.post(url, json=question, headers={"Authorization": f"Bearer {botframework.token()}"},
                             timeout=60)
    assert answered.status_code == 200, answered.text
    replies = botframework.wait_for_replies(question["conversation"]["id"])
    assert card_text(replies[0].activity).startswith(MISSING_ANSWER)
