"""What a follow-up ("and if the child is in care?", "I'm the DSL by the way") answers: the last answer again.

The answers are Rasa responses whose variations depend on the role and situation slots, so saying the last
answer's responses again, once the follow-up has set those slots, gives the answer for the new situation.
Read from the conversation's events as Rasa sends them to the action server.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, FrozenSet, List, Sequence

from bot.content import topics

# Slots a follow-up can change; a message that sets none of them changes nothing.
SITUATION_SLOTS = ("practitioner_role", "care_status", "implied_care_status", "concern")
# The walkthroughs' checklists are answers too: "what if she's placed here by another council?" after one
# gives it again for that child.
CHECKLISTS = ("utter_missing_checklist", "utter_found_checklist")
# Where a conversation starts again: nothing before it is answered again.
NEW_CONVERSATION = ("session_started", "restart")
# Said by the action, never by a rule: before any answer, and when the message gives nothing new.
NOTHING_ANSWERED_YET = "utter_inform"  # "Thanks, noted. What would you like to know?"
NOTHING_NEW = "utter_context_unclear"
ACTION_ONLY_RESPONSES = frozenset({NOTHING_NEW})


@functools.lru_cache(maxsize=1)
def answers() -> FrozenSet[str]:
    """The responses a follow-up can repeat: every topic's answer and the checklists."""
    return frozenset([*(f"utter_{key}" for key in topics.load().topics), *CHECKLISTS])


def _said(event: Dict[str, Any]) -> str | None:
    """The response an event says: an utter action run by a rule, or one sent by a custom action."""
    if event.get("event") == "action":
        return event.get("name")
    if event.get("event") == "bot":
        return (event.get("metadata") or {}).get("utter_action")
    return None


def last_answer(events: Sequence[Dict[str, Any]], answerable: FrozenSet[str] | None = None) -> List[str]:
    """The answers of the last turn that gave any, in order; [] if this conversation has none yet."""
    answerable = answers() if answerable is None else answerable
    last: List[str] = []
    turn: List[str] = []
    for event in events:
        kind = event.get("event")
        if kind in NEW_CONVERSATION:
            last, turn = [], []
        elif kind == "user":
            last, turn = (turn or last), []
        else:
            said = _said(event)
            if said in answerable and said not in turn:
                turn.append(said)
    return turn or last


def situation_given(events: Sequence[Dict[str, Any]]) -> bool:
    """Whether the latest message set the role or a situation slot."""
    for event in reversed(events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") in SITUATION_SLOTS and event.get("value") is not None:
            return True
    return False
