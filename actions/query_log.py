"""Logs every query to the query log (redacted, pseudonymous), once each, after it is answered; with the
feedback and the signals of a miss ("did you mean" chosen or refused, asked again within a minute) that a
message gives about the one before it."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.querylog.service import log_new_queries

LOGGED_UNTIL_SLOT = "logged_until"


class ActionLogQuery(Action):
    def name(self) -> str:
        return "action_log_query"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        logged_until = tracker.get_slot(LOGGED_UNTIL_SLOT)
        # database work blocks; keep it off the action server's event loop
        last = await asyncio.to_thread(log_new_queries, tracker.sender_id, tracker.events, logged_until)
        return [SlotSet(LOGGED_UNTIL_SLOT, last)] if last != logged_until else []
