"""The walkthrough reset action, on trackers from tests.fixtures.tracker_for."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.walkthrough import ActionResetWalkthrough
from tests.fixtures import tracker_for


def run(tracker: Tracker) -> list:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionResetWalkthrough().run(dispatcher, tracker, {}))
    assert dispatcher.messages == []
    return events


def test_missing_walkthrough_asks_danger_care_status_and_situation_afresh() -> None:
    slots = {"in_immediate_danger": False, "care_status": "at_home", "situation": "hospital",
             "practitioner_role": "police"}
    events = run(tracker_for("start_missing_walkthrough", slots=slots))
    assert events == [SlotSet("in_immediate_danger", None), SlotSet("care_status", None), SlotSet("situation", None)]


def test_care_status_given_in_the_starting_message_is_kept() -> None:
    entities = [{"entity": "care_status", "value": "in_care"}]
    events = run(tracker_for("start_missing_walkthrough", entities=entities))
    assert events == [SlotSet("in_immediate_danger", None), SlotSet("situation", None)]


def test_found_walkthrough_keeps_role_and_care_status_but_asks_the_situation_again() -> None:
    """An old situation answer must not add its lines to the next checklist."""
    events = run(tracker_for("start_found_walkthrough", slots={"situation": "exploitation"}))
    assert events == [SlotSet("harmed_or_at_risk", None), SlotSet("situation", None)]


@pytest.mark.parametrize("intent", ["greet", ""])
def test_other_intents_reset_nothing(intent: str) -> None:
    assert run(tracker_for(intent)) == []
