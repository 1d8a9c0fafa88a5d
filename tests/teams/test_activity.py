"""Reading incoming Teams activities: mentions, markup, card presses, garbage."""
from __future__ import annotations

import pytest

from bot.channels.teams.activity import needs_welcome, parse, plain_text
from tests.teams.helpers import BOT_ID, activity, members_added, message

SERVICE = "https://smba.trafficmanager.net/emea/"


@pytest.mark.parametrize("text, expected", [
    ("<at>Missing children assistant</at> who do I tell?", "who do I tell?"),
    ("who do I tell <at>Bot</at>", "who do I tell"),
    ("so <at>Bot</at>   who does the interview", "so who does the interview"),
    ("<at id=\"0\">Bot</at>\n<at>Sam Jones</at> hello", "hello"),
    ("<p>who does the <b>return home interview</b>?</p>", "who does the return home interview?"),
    ("safe&nbsp;and well &amp; RHI", "safe and well & RHI"),
    ("she is < 16 and > 12", "she is < 16 and > 12"),
    ("first<br>second", "first\nsecond"),
])
def test_typed_text_loses_mentions_and_markup(text: str, expected: str) -> None:
    assert parse(message(SERVICE, text)).text == expected


def test_card_press_reads_the_payload_even_without_text() -> None:
    pressed = message(SERVICE, "", value={"payload": "/child_found"})
    assert parse(pressed).text == "/child_found"


def test_card_press_payload_wins_over_the_displayed_text() -> None:
    pressed = message(SERVICE, "What to do when the child is found", value={"payload": "/child_found"})
    assert parse(pressed).text == "/child_found"


def test_message_back_without_value_uses_its_text() -> None:
    assert parse(message(SERVICE, "/start_missing_walkthrough")).text == "/start_missing_walkthrough"


def test_entities_in_a_payload_survive() -> None:
    payload = '/inform{"care_status":"in_care"}'
    assert parse(message(SERVICE, "", value={"payload": payload})).text == payload


def test_a_malformed_payload_is_read_as_plain_text() -> None:
    # Rasa would try to parse it as intent + entities and log the raw message when it could not
    assert parse(message(SERVICE, "", value={"payload": "/child_found{oops"})).text == "child_found{oops"


@pytest.mark.parametrize("value", [None, "text", 3, [], {"payload": 7}, {"payload": "  "}, {"other": "x"}])
def test_odd_values_fall_back_to_the_text(value: object) -> None:
    assert parse(message(SERVICE, "hello", value=value)).text == "hello"


def test_invalid_characters_are_cleaned() -> None:
    assert parse(message(SERVICE, "caf\udcff \x00\x07ok")).text == "caf? ok"


def test_long_text_is_cut() -> None:
    assert len(parse(message(SERVICE, "x" * 50_000)).text) == 20_000


@pytest.mark.parametrize("raw", [None, [], "message", 42, {}, {"type": 5}, {"type": None}])
def test_garbage_is_not_an_activity(raw: object) -> None:
    assert parse(raw) is None


@pytest.mark.parametrize("raw", [
    {"type": "message"},
    {"type": "message", "text": None, "from": "x", "recipient": [], "conversation": "c", "value": "v"},
    {"type": "message", "text": ["a"], "serviceUrl": 3, "id": {}},
    {"type": "conversationUpdate", "membersAdded": "everyone"},
    {"type": "conversationUpdate", "membersAdded": [None, 3, {"id": 4}, {"name": "x"}]},
    {"type": "typing"},
])
def test_incomplete_activities_parse_without_crashing(raw: dict) -> None:
    parsed = parse(raw)
    assert parsed is not None and parsed.text == ""
    assert parsed.conversation_id is None and parsed.service_url is None and not needs_welcome(parsed)


def test_only_id_and_name_of_accounts_are_kept() -> None:
    parsed = parse(message(SERVICE, "hi"))
    assert parsed.sender == {"id": "29:practitioner", "name": "A Practitioner"}
    assert parsed.recipient == {"id": BOT_ID, "name": "Missing children assistant"}


def test_personal_chat_welcomes_the_practitioner_or_the_installed_bot() -> None:
    assert needs_welcome(parse(members_added(SERVICE, "29:practitioner")))
    assert needs_welcome(parse(members_added(SERVICE, BOT_ID)))


def test_team_channel_welcomes_once_when_the_bot_joins_not_every_newcomer() -> None:
    assert needs_welcome(parse(members_added(SERVICE, BOT_ID, conversation_type="channel")))
    assert not needs_welcome(parse(members_added(SERVICE, "29:newcomer", conversation_type="channel")))
    assert not needs_welcome(parse(members_added(SERVICE, "29:newcomer", conversation_type="groupChat")))


def test_no_welcome_without_members_added() -> None:
    assert not needs_welcome(parse(members_added(SERVICE)))
    assert not needs_welcome(parse(activity("conversationUpdate", SERVICE, membersRemoved=[{"id": "29:x"}])))
    assert not needs_welcome(parse(message(SERVICE, "hi", membersAdded=[{"id": "29:x"}])))


def test_plain_text_collapses_blank_lines() -> None:
    assert plain_text("<div>one</div>\n\n<div>two</div>") == "one\ntwo"
