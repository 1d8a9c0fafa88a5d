"""Resets the per-episode answers before a guided walkthrough starts."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.walkthroughs import slots_to_reset


class ActionResetWalkthrough(Action):
    def name(self) -> str:
        return "action_reset_walkthrough"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        message = tracker.latest_message
        intent = (message.get("intent") or {}).get("name") or ""
        mentioned = [entity.get("entity") for entity in message.get("entities") or []]
        return [SlotSet(slot, None) for slot in slots_to_reset(intent, mentioned)]
