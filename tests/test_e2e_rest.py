"""End to end: the real Rasa server and action server, spoken to over the REST channel."""
from __future__ import annotations

import uuid
from typing import Iterator

import pytest

from bot.content import topics
from tests.servers import Servers, joined, running


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[Servers]:
    with running(tmp_path_factory.mktemp("servers")) as servers:
        yield servers


def sender() -> str:
    return f"test-{uuid.uuid4().hex}"



def test_direct_question_gets_the_answer_first(servers: Servers) -> None:
    replies = servers.say(sender(), "a looked after child hasn't come back to placement, who do I tell?")
    first = replies[0]["text"]
    assert first.startswith("If the child is in immediate danger, call 999 now.")
    assert "Police" in first and "101" in first
    assert "\nSource: " in first and "Pan Cheshire Missing from Home Protocol 2016-2017" in first
    titles = [button["title"] for button in replies[0]["buttons"]]
    assert "Walk me through it: child missing" in titles


def test_unset_local_number_is_said_honestly(servers: Servers) -> None:
    text = joined(servers.say(sender(), "what's the EDT phone number"))
    assert "Emergency Duty Team (out of hours social care): not set up" in text
    assert "Not yet set up for this area: " in text and "Emergency Duty Team number" in text


def test_missing_walkthrough_runs_through_the_action_server(servers: Servers) -> None:
    user = sender()
    servers.say(user, "/start_missing_walkthrough")
    servers.say(user, "/deny")
    servers.say(user, "/inform{\"practitioner_role\":\"carer\"}")
    # A second walkthrough must ask about danger again: the action server resets it.
    checklist = joined(servers.say(user, "/inform{\"care_status\":\"in_care\"}"))
    assert "Checklist — child in care missing" in checklist
    assert "As a foster carer or children's home worker" in checklist
    again = joined(servers.say(user, "/start_missing_walkthrough"))
    assert "Is the child in immediate danger" in again


def test_danger_answer_changes_the_next_question(servers: Servers) -> None:
    user = sender()
    assert "call 999 now" in joined(servers.say(user, "/start_missing_walkthrough"))
    assert "Call 999 now" in joined(servers.say(user, "/affirm"))


def test_harm_in_the_found_walkthrough_points_to_999_even_when_the_role_is_known(servers: Servers) -> None:
    user = sender()
    servers.say(user, "I'm a social worker")
    servers.say(user, "/start_found_walkthrough")
    assert "Call 999 now" in joined(servers.say(user, "/affirm"))


def test_low_confidence_offers_topics_as_buttons(servers: Servers) -> None:
    replies = servers.say(sender(), "zxqv plonk wibble")
    assert replies[0]["text"].startswith("Sorry, I'm not sure I understood")
    titles = [button["title"] for button in replies[0]["buttons"]]
    assert len(titles) == 4 and titles[-1] == "None of these"
    topic_titles = {topic.title for topic in topics.load().topics.values()}
    assert set(titles[:3]) <= topic_titles, titles


def test_answers_still_come_when_the_action_server_is_down(servers: Servers) -> None:
    servers.stop_actions()
    try:
        text = joined(servers.say(sender(), "who carries out the return home interview"))
        assert "within 72 hours" in text
        user = sender()
        question = joined(servers.say(user, "/start_found_walkthrough"))
        assert "Is the child hurt, unwell, or at risk of immediate harm now?" in question
        # a walkthrough started again cannot reset the old answer without the action server,
        # so every walkthrough opens with the 999 line whatever the slots hold
        servers.say(user, "/deny")
        assert "call 999 now" in joined(servers.say(user, "/start_found_walkthrough"))
    finally:
        servers.start_actions()
