"""Answers a follow-up in context: the last answer again, tailored to the role or situation it gives.

"and if the child is in care?", "what if she was placed here by another council?", "I'm the DSL by the way":
the message has set the slots; saying the last answer's responses again lets Rasa pick their variation for
the new values (bot/content/followup.py). With no answer yet: "what would you like to know?"; with nothing
new in the message: what to tell me to tailor it.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content.followup import NOTHING_ANSWERED_YET, NOTHING_NEW, last_answer, situation_given


class ActionAnswerInContext(Action):
    def name(self) -> str:
        return "action_answer_in_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        answers = last_answer(tracker.events)
        if not answers:
            dispatcher.utter_message(response=NOTHING_ANSWERED_YET)
        elif not situation_given(tracker.events):
            dispatcher.utter_message(response=NOTHING_NEW)
        else:
            for response in answers:
                dispatcher.utter_message(response=response)
        return []
