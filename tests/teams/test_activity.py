"""Reading incoming Teams activities: mentions, markup, card presses, garbage."""
from __future__ import annotations

import pytest

from bot.channels.teams.activity import needs_welcome, parse, plain_text
from tests.teams.helpers import BOT_ID, activity, members_added, mention, message

SERVICE = "https://smba.trafficmanager.net/emea/"


BOT = mention(BOT_ID, "Missing children assistant")
SAM = mention("29:sam", "Sam Jones")


@pytest.mark.parametrize("text, entities, expected", [
    ("<at>Missing children assistant</at> who do I tell?", [BOT], "who do I tell?"),
    ("who do I tell <at>Missing children assistant</at>", [BOT], "who do I tell"),
    ("so <at>Missing children assistant</at>   who does the interview", [BOT], "so who does the interview"),
    ("<at id=\"0\">Missing children  assistant</at>\n<at>Sam Jones</at> hello", [BOT, SAM], "Sam Jones hello"),
    ("<at>Missing children assistant</at> should I tell <at>Sam Jones</at>?", [SAM, BOT], "should I tell Sam Jones?"),
    # a mention of someone else, even first, is their name: it is not the bot's
    ("<at>Sam Jones</at> said to ask you", [SAM], "Sam Jones said to ask you"),
    # mentioned by id, not by name: a person called like the bot keeps their name
    ("<at>Missing children assistant</at> hi", [mention("29:namesake", "Missing children assistant")],
     "Missing children assistant hi"),
    # entities of other kinds do not count as mentions
    ("<at>Bot</at> who do I tell", [{"type": "clientInfo", "locale": "en-GB"}], "who do I tell"),
    # without mention entities only a leading mention is taken to be the bot's
    ("<at>Bot</at> who do I tell?", None, "who do I tell?"),
    ("<p><at>Bot</at> who do I tell?</p>", None, "who do I tell?"),
    ("who do I tell <at>Bot</at>", None, "who do I tell Bot"),
    ("<at>Bot</at> ask <at>Sam Jones</at>", None, "ask Sam Jones"),
    ("<p>who does the <b>return home interview</b>?</p>", None, "who does the return home interview?"),
    ("safe&nbsp;and well &amp; RHI", None, "safe and well & RHI"),
    ("she is < 16 and > 12", None, "she is < 16 and > 12"),
    ("first<br>second", None, "first\nsecond"),
])
def test_typed_text_loses_the_bots_mentions_and_markup(text: str, entities: list | None, expected: str) -> None:
    fields = {} if entities is None else {"entities": entities}
    assert parse(message(SERVICE, text, **fields)).text == expected


@pytest.mark.parametrize("entities, expected", [
    ("mentions", "hi"),  # no mention entities: the leading mention is taken to be the bot's
    ([None, 3, "x"], "hi"),
    ([{"type": "mention"}], "Sam Jones hi"),  # a mention of nobody in particular is not the bot's
    ([{"type": "mention", "mentioned": "x", "text": 5}], "Sam Jones hi"),
    ([{"type": "mention", "mentioned": {"id": BOT_ID}, "text": 5}], "Sam Jones hi"),
])
def test_odd_entities_do_not_crash(entities: object, expected: str) -> None:
    assert parse(message(SERVICE, "<at>Sam Jones</at> hi", entities=entities)).text == expected


def test_a_bot_mention_without_text_is_known_by_the_mentioned_name() -> None:
    entity = {"type": "mention", "mentioned": {"id": BOT_ID, "name": "Bot"}}
    typed = message(SERVICE, "ask <at>Sam Jones</at> <at>Bot</at>", entities=[entity, SAM])
    assert parse(typed).text == "ask Sam Jones"


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


def test_long_text_is_cut_at_the_one_message_limit() -> None:
    from bot.channels.rest import MAX_MESSAGE_LENGTH
    from bot.querylog.records import MAX_TEXT_LENGTH

    assert MAX_MESSAGE_LENGTH == MAX_TEXT_LENGTH == 2000
    assert len(parse(message(SERVICE, "x" * 50_000)).text) == 2000


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
