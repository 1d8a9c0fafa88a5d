"""Query-log records reconstructed from tracker events, as the action and backfill both do."""
from __future__ import annotations

from typing import Any, Dict, List

from bot.querylog.from_tracker import extract


def user(mid: str, text: str, intent: str, confidence: float = 0.9, t: float = 1_700_000_000.0,
         redacted: str | None = None, channel: str = "rest") -> Dict[str, Any]:
    parse = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}
    if redacted is not None:
        parse["redacted_text"] = redacted
    return {"event": "user", "text": text, "parse_data": parse, "message_id": mid, "timestamp": t,
            "input_channel": channel}


def action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def loop(name: str | None) -> Dict[str, Any]:
    return {"event": "active_loop", "name": name}


def never_called(text: str) -> str:
    raise AssertionError(f"redaction should not be needed for {text!r}")


CONVERSATION: List[Dict[str, Any]] = [
    action("action_session_start"),
    user("m1", "Jayden has gone missing, who do I tell", "child_missing",
         redacted="[NAME] has gone missing, who do I tell"),
    action("utter_child_missing"), action("action_log_query"), slot("logged_until", "m1"),
    user("m2", "/feedback_not_helpful", "feedback_not_helpful", 1.0),
    action("utter_feedback_sorry"), action("action_log_query"),
    user("m3", "/start_missing_walkthrough", "start_missing_walkthrough", 1.0),
    action("action_reset_walkthrough"), action("missing_walkthrough_form"), loop("missing_walkthrough_form"),
    slot("requested_slot", "in_immediate_danger"), action("action_listen"),
    user("m4", "no", "deny", redacted="no"),
    slot("in_immediate_danger", False), action("missing_walkthrough_form"),
    user("m5", "I'm a police officer", "inform", redacted="I'm a police officer"),
    slot("practitioner_role", "police"), action("missing_walkthrough_form"),
    user("m6", "zonk", "nlu_fallback", 0.4, redacted="zonk"),
    action("utter_clarify"), action("action_log_query"),
]


def test_every_message_becomes_one_record() -> None:
    records = extract(CONVERSATION, "p_sender", "pan_cheshire", never_called).records
    assert [r.message_id for r in records] == ["m1", "m2", "m3", "m4", "m5", "m6"]
    first = records[0]
    assert first.text == "[NAME] has gone missing, who do I tell"
    assert (first.intent, first.topic, first.fell_back, first.is_button) == ("child_missing", "child_missing",
                                                                           False, False)
    assert first.sender == "p_sender" and first.partnership == "pan_cheshire" and first.channel == "rest"
    assert first.created_at.tzinfo is not None


def test_buttons_walkthroughs_roles_and_fallbacks_are_marked() -> None:
    by_id = {r.message_id: r for r in extract(CONVERSATION, "p", "x", never_called).records}
    assert by_id["m2"].is_button and by_id["m3"].is_button and not by_id["m4"].is_button
    assert by_id["m3"].topic == by_id["m4"].topic == "missing_walkthrough_form"
    assert by_id["m5"].practitioner_role == "police" and by_id["m4"].practitioner_role is None
    assert by_id["m6"].fell_back and not by_id["m5"].fell_back


def test_feedback_is_attached_to_the_answer_it_follows() -> None:
    assert extract(CONVERSATION, "p", "x", never_called).feedback == [("m1", False)]


def test_feedback_skips_small_talk_to_reach_the_answer_with_the_buttons() -> None:
    events = CONVERSATION[:4] + [user("m1b", "thanks", "thank", redacted="thanks"), action("utter_thank"),
                                 user("m1c", "/feedback_helpful", "feedback_helpful", 1.0)]
    assert extract(events, "p", "x", never_called).feedback == [("m1", True)]


def test_only_messages_after_the_last_logged_one() -> None:
    extracted = extract(CONVERSATION, "p", "x", never_called, after_message_id="m4")
    assert [r.message_id for r in extracted.records] == ["m5", "m6"]
    assert extracted.feedback == []


def test_text_without_pipeline_redaction_is_redacted_here() -> None:
    events = [user("m1", "Chloe rang", "greet")]
    records = extract(events, "p", "x", lambda text: text.replace("Chloe", "[NAME]")).records
    assert records[0].text == "[NAME] rang"
