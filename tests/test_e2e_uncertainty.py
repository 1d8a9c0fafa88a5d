"""End to end: uncertainty is handled, not hidden, through the real Rasa and action servers over REST.

`rasa test core` (tests/conversations/test_uncertainty.yml) replays the slots a story writes, so it cannot
show that "not sure" really fills the danger slot with YES: the next question's 999 line here does. The
walkthrough's own buttons are taken from its replies, and each is pressed again after the walkthrough ended.
"""
from __future__ import annotations

import uuid
from typing import Iterator, List

import pytest

from tests.servers import Servers, joined, running

ROLE_QUESTION_WITH_999 = "📞 Call 999 now if you haven't already"
ENDED = "That walkthrough has ended, so I haven't used that answer."
NOTED = "Thanks, noted"
IT_DECLINE = "For IT problems, please contact your IT service desk"


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[Servers]:
    with running(tmp_path_factory.mktemp("uncertainty")) as servers:
        yield servers


def sender() -> str:
    return f"unsure-{uuid.uuid4().hex}"



def buttons(replies: list) -> List[dict]:
    return [button for reply in replies for button in reply.get("buttons", [])]


def payload(replies: list, title: str) -> str:
    return next(button["payload"] for button in buttons(replies) if button["title"] == title)


@pytest.mark.parametrize("walkthrough", ["missing", "found"])
def test_not_sure_to_the_danger_question_is_yes(servers: Servers, walkthrough: str) -> None:
    for answer in ("not sure", "i dont know", "dunno", "maybe", "possibly", "can't tell", "unsure"):
        user = sender()
        servers.say(user, f"/start_{walkthrough}_walkthrough")
        reply = joined(servers.say(user, answer))
        assert ROLE_QUESTION_WITH_999 in reply, (answer, reply)


def test_no_and_not_in_danger_still_mean_no(servers: Servers) -> None:
    for answer in ("no", "not in danger"):
        user = sender()
        servers.say(user, "/start_missing_walkthrough")
        reply = joined(servers.say(user, answer))
        assert "What's your role?" in reply and "999" not in reply, (answer, reply)


def test_not_sure_elsewhere_says_what_to_do_when_in_doubt(servers: Servers) -> None:
    reply = joined(servers.say(sender(), "not sure"))
    assert "you don't need to be sure to act" in reply and "call 999 now" in reply
    assert NOTED not in reply
    user = sender()
    servers.say(user, "/start_missing_walkthrough")
    servers.say(user, "no")
    again = joined(servers.say(user, "i don't know"))  # to "What's your role?": asked again
    assert "choose the closest answer" in again and "What's your role?" in again


def test_every_walkthrough_button_pressed_late_is_safe(servers: Servers) -> None:
    user = sender()
    danger = servers.say(user, "/start_missing_walkthrough")
    assert payload(danger, "Yes, or I'm not sure") == "/immediate_danger"
    role = servers.say(user, payload(danger, "No"))
    care = servers.say(user, payload(role, "Police"))
    checklist = servers.say(user, payload(care, "In care: we placed them in our area"))
    assert "Checklist — child in care missing" in joined(checklist)
    situation = servers.say(user, payload(checklist, "Exploitation concern (CSE, CCE, county lines)"))
    assert "Exploitation concern — add to the checklist" in joined(situation)

    late = [button for replies in (danger, role, care, checklist) for button in buttons(replies)
            if "asked_in" in button["payload"] or button["payload"] == "/immediate_danger"]
    assert len(late) == 2 + 8 + 6 + 6  # danger, roles (EDT included), care statuses, situations
    for button in late:
        reply = joined(servers.say(user, button["payload"]))
        assert NOTED not in reply, button
        if button["title"] == "Yes, or I'm not sure":
            assert "Call 999 now" in reply.splitlines()[0] and not reply.startswith(ENDED), reply
        else:
            assert reply.startswith(ENDED) and "If a child is in immediate danger, call 999 now." in reply, button
    offered = [button["payload"] for button in buttons(servers.say(user, payload(role, "Other")))]
    assert offered == ["/start_missing_walkthrough", "/start_found_walkthrough"]


def test_a_late_button_mid_walkthrough_is_not_used(servers: Servers) -> None:
    user = sender()
    harm = servers.say(user, "/start_found_walkthrough")
    role = servers.say(user, payload(harm, "Yes, or I'm not sure"))
    assert "Call 999 now if you haven't already, and get medical help" in joined(role)
    again = joined(servers.say(user, payload(harm, "No")))
    assert again.startswith("That button was for another question") and "what's your role?" in again


def test_a_safeguarding_question_worded_like_it_help_is_not_declined(servers: Servers) -> None:
    strategy = joined(servers.say(sender(), "who chairs the strategy meeting"))
    assert "strategy discussion" in strategy.lower() and IT_DECLINE not in strategy
    for question in ("how long do they have", "the police system won't let me log the missing report"):
        reply = joined(servers.say(sender(), question))
        assert IT_DECLINE not in reply, (question, reply)
    assert IT_DECLINE in joined(servers.say(sender(), "my laptop password has expired"))
