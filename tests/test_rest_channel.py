"""The REST channel's answer to a message sent again: the answers its conversation holds, found by id."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import rest
from bot.channels.rest import answers_to, stored_message_id


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", [SessionStarted(), ActionExecuted("action_listen"), *events])


CONVERSATION = tracker(
    UserUttered("who do I tell", message_id="m1"),
    BotUttered("Tell the police.", {"buttons": [{"title": "More", "payload": "/more"}], "elements": None}),
    BotUttered("Then the social worker."),
    ActionExecuted("action_listen"),
    UserUttered("thanks", message_id="m2"),
    BotUttered("You're welcome."),
)


def test_the_answers_to_a_held_message_are_those_that_followed_it_up_to_the_next_message() -> None:
    assert answers_to(CONVERSATION, "m1") == [
        {"text": "Tell the police.", "buttons": [{"title": "More", "payload": "/more"}]},
        {"text": "Then the social worker."},
    ]
    assert answers_to(CONVERSATION, "m2") == [{"text": "You're welcome."}]


def test_a_message_the_conversation_does_not_hold_is_processed() -> None:
    assert answers_to(CONVERSATION, "m3") is None
    assert answers_to(tracker(), "m1") is None


def test_a_held_message_that_got_no_answer_is_answered_with_nothing_again() -> None:
    assert answers_to(tracker(UserUttered("hi", message_id="m1")), "m1") == []


def test_a_clients_ids_are_its_conversations_own() -> None:
    assert stored_message_id("alice", "1", "hi") == stored_message_id("alice", "1", "hi")
    assert stored_message_id("alice", "1", "hi") != stored_message_id("bob", "1", "hi")
    assert len(stored_message_id("alice", "1", "hi")) == 32


def test_an_id_used_again_for_another_message_is_a_new_message() -> None:
    assert stored_message_id("alice", "1", "who do I tell") != stored_message_id("alice", "1", "thanks")


async def _refused_when(error: BaseException) -> list:
    async def failing(_message: UserMessage) -> None:
        raise error

    rest._REFUSED.set([])
    try:
        await rest.handle_or_refuse(UserMessage("/deny", CollectingOutputChannel(), "someone"), failing)
    except asyncio.CancelledError:
        rest._REFUSED.get().append("raised")
    return rest._REFUSED.get()


def test_a_message_that_could_not_be_handled_whole_is_refused_not_answered_with_nothing() -> None:
    assert asyncio.run(_refused_when(LockError("no lock"))) == [True]
    # cancelled part way (a response timeout after waiting on a dead replica's lock): refused, and still cancelled
    assert asyncio.run(_refused_when(asyncio.CancelledError())) == [True, "raised"]


def test_any_other_error_is_left_to_rasa() -> None:
    with pytest.raises(ValueError):
        asyncio.run(_refused_when(ValueError("a bug")))
