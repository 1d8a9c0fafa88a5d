"""Turns a conversation's tracker events into query-log records.

The same function serves the logging action (on the live tracker) and
`python -m bot backfill` (on the redacted tracker store), so a row looks the
same whichever wrote it, and the message id keeps it unique.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, FrozenSet, List, Sequence, Tuple

from bot.privacy.events import is_button_payload, redacted_user_text, safe_slot_value
from bot.querylog.records import MAX_TEXT_LENGTH, QueryRecord

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_RESPONSES = {"utter_clarify", "utter_default", "action_default_fallback"}
# Said before a walkthrough's first question; the walkthrough itself is the topic.
NOT_TOPICS = FALLBACK_RESPONSES | {"utter_walkthrough_danger_first", "utter_quiz_intro"}
# Training mode: every quiz action's turn is logged with topic "quiz".
QUIZ_ACTION_PREFIX = "action_quiz_"
QUIZ_TOPIC = "quiz"
FEEDBACK_INTENTS = {"feedback_helpful": True, "feedback_not_helpful": False}
FORMS = ("missing_walkthrough_form", "found_walkthrough_form")


@dataclass
class _Turn:
    event: Dict[str, Any]
    role: str | None
    active_form: str | None
    actions: List[str] = field(default_factory=list)


@dataclass
class Extracted:
    records: List[QueryRecord]
    feedback: List[Tuple[str, bool]]  # (message id of the answer, helpful)


def _turns(events: Sequence[Dict[str, Any]]) -> List[_Turn]:
    turns: List[_Turn] = []
    role: str | None = None
    active_form: str | None = None
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "practitioner_role":
            role = safe_slot_value("practitioner_role", event.get("value"))
            if turns:
                turns[-1].role = role
        elif kind == "active_loop":
            active_form = event.get("name")
        elif kind == "user":
            turns.append(_Turn(event, role, active_form))
        elif kind == "action" and turns:
            turns[-1].actions.append(event.get("name") or "")
            if event.get("name") in FORMS:
                turns[-1].active_form = turns[-1].active_form or event.get("name")
        elif kind == "restart":
            role, active_form = None, None
    return turns


def _topic(turn: _Turn) -> str | None:
    for action in turn.actions:
        if action.startswith(QUIZ_ACTION_PREFIX):
            return QUIZ_TOPIC
        if action.startswith("utter_") and not action.startswith("utter_ask_") and action not in NOT_TOPICS:
            return action.removeprefix("utter_")
    return turn.active_form


def _timestamp(event: Dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(float(event.get("timestamp") or 0), tz=timezone.utc)


def extract(
    events: Sequence[Dict[str, Any]],
    sender: str,
    partnership: str,
    redact: Callable[[str], str],
    after_message_id: str | None = None,
) -> Extracted:
    """Records for the user messages after `after_message_id` (all of them if None)."""
    turns = _turns(events)
    start = 0
    if after_message_id:
        ids = [turn.event.get("message_id") for turn in turns]
        start = ids.index(after_message_id) + 1 if after_message_id in ids else 0
    records, feedback = [], []
    for index, turn in enumerate(turns):
        event = turn.event
        parse_data = event.get("parse_data") or {}
        intent = parse_data.get("intent") or {}
        if event.get("message_id") is None:
            continue
        if intent.get("name") in FEEDBACK_INTENTS:
            answered = _previous_answer(turns[:index])
            if answered and index >= start:
                feedback.append((answered, FEEDBACK_INTENTS[intent["name"]]))
        if index < start:
            continue
        text = redacted_user_text(event, redact)
        records.append(
            QueryRecord(
                message_id=event["message_id"],
                created_at=_timestamp(event),
                channel=event.get("input_channel") or "unknown",
                sender=sender,
                partnership=partnership,
                practitioner_role=turn.role,
                text=text[:MAX_TEXT_LENGTH],
                intent=intent.get("name"),
                confidence=intent.get("confidence"),
                topic=_topic(turn),
                fell_back=intent.get("name") == FALLBACK_INTENT or bool(FALLBACK_RESPONSES & set(turn.actions)),
                is_button=is_button_payload(event.get("text") or ""),
            )
        )
    return Extracted(records, feedback)


@functools.lru_cache(maxsize=1)
def _answers_with_feedback_buttons() -> FrozenSet[str]:
    from bot.content import topics

    return frozenset(topics.load().topics)


def _previous_answer(turns: Sequence[_Turn]) -> str | None:
    """The latest topic answer before the feedback: the message whose answer carried the buttons."""
    for turn in reversed(turns):
        if _topic(turn) in _answers_with_feedback_buttons():
            return turn.event.get("message_id")
    return None
