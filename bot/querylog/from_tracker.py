"""Turns a conversation's tracker events into query-log records, and the signals of a miss.

The same function serves the logging action (on the live tracker) and
`python -m bot backfill` (on the redacted tracker store), so a row looks the
same whichever wrote it, and the message id keeps it unique.

Some signals are known only when the next message arrives, after the row they concern was logged: what
the practitioner did with a "did you mean" reply, and whether they typed again within a minute of an
answer (a likely misroute). They come out as Signals, applied to that row as updates, as feedback is.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, FrozenSet, List, Sequence, Tuple

from bot.privacy.events import is_button_payload, redacted_user_text, safe_slot_value
from bot.querylog.records import CHOSEN, MAX_TEXT_LENGTH, REFUSED, QueryRecord, Signal

FALLBACK_INTENT = "nlu_fallback"
CLARIFY_RESPONSE = "utter_clarify"  # the "did you mean" reply, with the suggested topics' buttons
FALLBACK_RESPONSES = {CLARIFY_RESPONSE, "utter_default", "action_default_fallback"}
REFUSAL_INTENT = "none_of_these"  # the "None of these" button under the suggestions
SUGGESTIONS = ("suggestion_1", "suggestion_2", "suggestion_3")  # entities and slots of bot.nlu.topic_suggester
# Said before a walkthrough's first question; the walkthrough itself is the topic.
NOT_TOPICS = FALLBACK_RESPONSES | {"utter_walkthrough_danger_first", "utter_quiz_intro"}
# Training mode: every quiz action's turn is logged with topic "quiz".
QUIZ_ACTION_PREFIX = "action_quiz_"
QUIZ_TOPIC = "quiz"
FEEDBACK_INTENTS = {"feedback_helpful": True, "feedback_not_helpful": False}
FORMS = ("missing_walkthrough_form", "found_walkthrough_form")
# A typed message this soon after an answered one means the practitioner is asking again.
REPHRASE_SECONDS = 60.0
# Replies after which typing again is a sign of a misroute: every topic's answer, and "out of scope".
REPHRASABLE_REPLIES = frozenset({"out_of_scope"})


@dataclass
class _Turn:
    event: Dict[str, Any]
    role: str | None
    active_form: str | None
    actions: List[str] = field(default_factory=list)
    suggested: List[str] = field(default_factory=list)  # the "did you mean" topics offered, from slots
    after_restart: bool = False


@dataclass
class Extracted:
    records: List[QueryRecord]
    feedback: List[Tuple[str, bool]]  # (message id of the answer, helpful)
    signals: List[Signal] = field(default_factory=list)  # for rows logged earlier, or in `records`


def _turns(events: Sequence[Dict[str, Any]]) -> List[_Turn]:
    turns: List[_Turn] = []
    role: str | None = None
    active_form: str | None = None
    restarted = False
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "practitioner_role":
            role = safe_slot_value("practitioner_role", event.get("value"))
            if turns:
                turns[-1].role = role
        elif kind == "slot" and event.get("name") in SUGGESTIONS and turns and event.get("value"):
            turns[-1].suggested.append(str(event.get("value")))
        elif kind == "active_loop":
            active_form = event.get("name")
        elif kind == "user":
            turns.append(_Turn(event, role, active_form, after_restart=restarted))
            restarted = False
        elif kind == "action" and turns:
            turns[-1].actions.append(event.get("name") or "")
            if event.get("name") in FORMS:
                turns[-1].active_form = turns[-1].active_form or event.get("name")
        elif kind == "restart":
            role, active_form, restarted = None, None, True
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


def _intent(turn: _Turn) -> Dict[str, Any]:
    return (turn.event.get("parse_data") or {}).get("intent") or {}


def _fell_back(turn: _Turn) -> bool:
    return _intent(turn).get("name") == FALLBACK_INTENT or bool(FALLBACK_RESPONSES & set(turn.actions))


def _is_button(turn: _Turn) -> bool:
    return is_button_payload(turn.event.get("text") or "")


def ranked_intents(parse_data: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The classifier's top intent and runner-up ({} where there is none), never the fallback.

    On a fallback, Rasa's FallbackClassifier puts nlu_fallback (with its threshold as the confidence) at the
    top of the ranking: the classifier's own intents are the ones under it. Otherwise the intent given is the
    top one (the 999 override puts its intent there), and the runner-up is the next other intent ranked.
    """
    intent = parse_data.get("intent") or {}
    ranking = [entry for entry in parse_data.get("intent_ranking") or []
               if entry.get("name") and entry.get("name") != FALLBACK_INTENT]
    if intent.get("name") == FALLBACK_INTENT or not intent.get("name"):
        top = ranking[0] if ranking else {}
    else:
        top = intent
    runner_up = next((entry for entry in ranking if entry.get("name") != top.get("name")), {})
    return top, runner_up


def _confidence(entry: Dict[str, Any]) -> float | None:
    value = entry.get("confidence")
    return float(value) if value is not None else None


def extract(
    events: Sequence[Dict[str, Any]],
    sender: str,
    partnership: str,
    redact: Callable[[str], str],
    after_message_id: str | None = None,
) -> Extracted:
    """Records for the user messages after `after_message_id` (all of them if None), and the feedback and
    signals those messages give about earlier ones."""
    turns = [turn for turn in _turns(events) if turn.event.get("message_id") is not None]
    start = 0
    if after_message_id:
        ids = [turn.event.get("message_id") for turn in turns]
        start = ids.index(after_message_id) + 1 if after_message_id in ids else 0
    records, feedback, signals = [], [], []
    for index, turn in enumerate(turns):
        event = turn.event
        parse_data = event.get("parse_data") or {}
        intent = _intent(turn)
        if index < start:
            continue
        if intent.get("name") in FEEDBACK_INTENTS:
            answered = _previous_answer(turns[:index])
            if answered:
                feedback.append((answered, FEEDBACK_INTENTS[intent["name"]]))
        if index > 0:
            signal = _signal(turns[index - 1], turn)
            if signal is not None:
                signals.append(signal)
        top, runner_up = ranked_intents(parse_data)
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
                intent=top.get("name"),
                confidence=_confidence(top),
                topic=_topic(turn),
                fell_back=_fell_back(turn),
                is_button=_is_button(turn),
                runner_up_intent=runner_up.get("name"),
                runner_up_confidence=_confidence(runner_up),
            )
        )
    return Extracted(records, feedback, signals)


def _signal(previous: _Turn, turn: _Turn) -> Signal | None:
    """What `turn`, the next message of the conversation, says about `previous`."""
    if turn.after_restart:
        return None
    message_id = previous.event["message_id"]
    if CLARIFY_RESPONSE in previous.actions:  # "did you mean": which button was pressed?
        pressed = _intent(turn).get("name")
        if not _is_button(turn):
            return None
        if pressed == REFUSAL_INTENT:
            return Signal(message_id, did_you_mean=REFUSED)
        if pressed and pressed in _suggested(previous):
            return Signal(message_id, did_you_mean=CHOSEN, chosen_topic=pressed)
        return None
    if _rephrased(previous, turn):
        return Signal(message_id, rephrased=True)
    return None


def _suggested(turn: _Turn) -> List[str]:
    """The topics the "did you mean" reply offered: the suggester's entities, else the slots they filled."""
    entities = (turn.event.get("parse_data") or {}).get("entities") or []
    found = [str(entity.get("value")) for entity in entities if entity.get("entity") in SUGGESTIONS]
    return found or turn.suggested


def _rephrased(previous: _Turn, turn: _Turn) -> bool:
    """A typed question, answered (not a fallback, not inside a walkthrough or a quiz), then the next message
    typed within REPHRASE_SECONDS. Button presses (feedback, follow-on topics) are not asking again."""
    if _is_button(previous) or _is_button(turn) or _fell_back(previous):
        return False
    if previous.active_form or set(FORMS) & set(previous.actions):
        return False  # the walkthrough asked a question: the next message answers it
    if any(action.startswith("utter_ask_") for action in previous.actions):
        return False
    topic = _topic(previous)
    try:
        answers = _answers_with_feedback_buttons()
    except (OSError, ValueError):  # content being edited: no signal rather than no row
        return False
    if topic is None or (topic not in answers and topic not in REPHRASABLE_REPLIES):
        return False
    if not previous.event.get("timestamp") or not turn.event.get("timestamp"):
        return False
    gap = float(turn.event["timestamp"]) - float(previous.event["timestamp"])
    return 0 <= gap <= REPHRASE_SECONDS


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
