"""Query-log records reconstructed from tracker events, as the action and backfill both do."""
from __future__ import annotations

from typing import Any, Dict, List

import pytest

from bot.querylog.from_tracker import Extracted, extract
from bot.querylog.records import CHOSEN, REFUSED, Signal


def user(mid: str, text: str, intent: str, confidence: float = 0.9, t: float = 1_700_000_000.0,
         redacted: str | None = None, channel: str = "rest", ranking: List[tuple] | None = None,
         entities: List[Dict[str, Any]] | None = None) -> Dict[str, Any]:
    parse: Dict[str, Any] = {"intent": {"name": intent, "confidence": confidence}, "entities": entities or [],
                             "text": text}
    if ranking is not None:
        parse["intent_ranking"] = [{"name": name, "confidence": value} for name, value in ranking]
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


# -- the classifier's top intent and runner-up -------------------------------------------------------------

T = 1_700_000_000.0
SUGGESTED = [{"entity": f"suggestion_{n}", "value": value, "extractor": "TopicSuggester"}
             for n, value in enumerate(("escalation", "training", "definitions"), start=1)]


def fallback(mid: str, t: float = T, text: str = "who sorts out the bill for the hotel") -> Dict[str, Any]:
    """A message the FallbackClassifier caught: nlu_fallback at its threshold on top of the real ranking."""
    return user(mid, text, "nlu_fallback", 0.4, t=t, redacted=text, entities=SUGGESTED,
                ranking=[("nlu_fallback", 0.4), ("escalation", 0.31), ("training", 0.25), ("definitions", 0.2)])


def button(mid: str, intent: str, t: float = T) -> Dict[str, Any]:
    return user(mid, f"/{intent}", intent, 1.0, t=t, ranking=[(intent, 1.0)])


def typed(mid: str, text: str, intent: str, t: float = T, ranking: List[tuple] | None = None) -> Dict[str, Any]:
    ranking = ranking or [(intent, 0.8), ("child_found", 0.1), ("greet", 0.05)]
    return user(mid, text, intent, ranking[0][1], t=t, redacted=text, ranking=ranking)


def only(events: List[Dict[str, Any]], after: str | None = None) -> Extracted:
    return extract(events, "p", "x", never_called, after_message_id=after)


def test_an_answered_message_keeps_its_intent_and_the_runner_up() -> None:
    record = only([typed("m1", "Jayden is missing", "child_missing"), action("utter_child_missing")]).records[0]
    assert (record.intent, record.confidence) == ("child_missing", 0.8)
    assert (record.runner_up_intent, record.runner_up_confidence) == ("child_found", 0.1)


def test_a_fallback_keeps_the_classifiers_own_top_intent_not_nlu_fallback() -> None:
    record = only([fallback("m1"), action("utter_clarify")]).records[0]
    assert record.fell_back
    assert (record.intent, record.confidence) == ("escalation", 0.31)
    assert (record.runner_up_intent, record.runner_up_confidence) == ("training", 0.25)


def test_the_999_override_and_button_presses() -> None:
    forced = user("m1", "he has a knife", "immediate_danger", 1.0, redacted="he has a knife",
                  ranking=[("immediate_danger", 1.0), ("child_missing", 0.6), ("nlu_fallback", 0.4)])
    records = only([forced, action("utter_immediate_danger"), button("m2", "child_found")]).records
    assert [(r.intent, r.confidence, r.runner_up_intent, r.runner_up_confidence) for r in records] == [
        ("immediate_danger", 1.0, "child_missing", 0.6), ("child_found", 1.0, None, None)]


def test_a_fallback_without_a_ranking_has_no_intent() -> None:
    record = only([user("m1", "?", "nlu_fallback", 0.4, redacted="?"), action("utter_clarify")]).records[0]
    assert record.fell_back and (record.intent, record.confidence, record.runner_up_intent) == (None, None, None)


# -- "did you mean": chosen or refused ---------------------------------------------------------------------

def test_a_suggested_topic_pressed_after_did_you_mean_is_chosen() -> None:
    events = [fallback("m1"), action("utter_clarify"), action("action_log_query"),
              button("m2", "training", T + 20), action("utter_training"), action("action_log_query")]
    extracted = only(events)
    assert extracted.signals == [Signal("m1", did_you_mean=CHOSEN, chosen_topic="training")]
    assert all(record.did_you_mean is None for record in extracted.records)  # signals are updates, never inline


def test_the_suggestions_can_come_from_the_slots() -> None:
    message = fallback("m1")
    message["parse_data"]["entities"] = []
    events = [message, slot("suggestion_1", "escalation"), slot("suggestion_2", "definitions"),
              action("utter_clarify"), button("m2", "definitions", T + 5)]
    assert only(events).signals == [Signal("m1", did_you_mean=CHOSEN, chosen_topic="definitions")]


def test_none_of_these_after_did_you_mean_is_refused() -> None:
    events = [fallback("m1"), action("utter_clarify"), button("m2", "none_of_these", T + 8), action("utter_default")]
    extracted = only(events)
    assert extracted.signals == [Signal("m1", did_you_mean=REFUSED)]
    assert extracted.records[1].fell_back and extracted.records[1].is_button  # the press itself


def test_no_did_you_mean_signal_for_other_next_messages() -> None:
    unsuggested = [fallback("m1"), action("utter_clarify"), button("m2", "child_missing", T + 5)]
    retyped = [fallback("m1"), action("utter_clarify"), typed("m2", "the hotel bill", "escalation", T + 5)]
    # "None of these" is also an answer to a walkthrough's situation question: not a refused suggestion
    walkthrough = [typed("m1", "he's 15", "inform"), action("missing_walkthrough_form"),
                   loop("missing_walkthrough_form"), button("m2", "none_of_these", T + 5)]
    assert only(unsuggested).signals == only(retyped).signals == only(walkthrough).signals == []


# -- typed again within a minute ---------------------------------------------------------------------------

def answered(t2: float, second: Dict[str, Any] | None = None) -> List[Dict[str, Any]]:
    return [typed("m1", "a child has run off from school", "child_missing"), action("utter_child_missing"),
            action("action_log_query"),
            second or typed("m2", "a pupil left school without permission", "missing_education", T + t2),
            action("utter_missing_education")]


@pytest.mark.parametrize("seconds", [1, 30, 60])
def test_typing_again_within_a_minute_of_an_answer_is_rephrasing(seconds) -> None:
    assert only(answered(seconds)).signals == [Signal("m1", rephrased=True)]


@pytest.mark.parametrize("seconds", [61, 90, 3600])
def test_typing_again_after_a_minute_is_a_new_question(seconds) -> None:
    assert only(answered(seconds)).signals == []


def test_button_presses_are_not_rephrasing() -> None:
    assert only(answered(5, button("m2", "feedback_helpful", T + 5))).signals == []
    assert only(answered(5, button("m2", "child_found", T + 5))).signals == []
    pressed_first = [button("m1", "child_missing"), action("utter_child_missing"),
                     typed("m2", "and if he is in care?", "child_missing", T + 10)]
    assert only(pressed_first).signals == []


def test_no_rephrasing_after_a_fallback_small_talk_a_walkthrough_question_or_a_restart() -> None:
    after_fallback = [fallback("m1"), action("utter_default"), typed("m2", "hotel bill", "escalation", T + 10)]
    after_greeting = [typed("m1", "hi", "greet"), action("utter_greet"),
                      typed("m2", "who do I tell", "child_missing", T + 10)]
    in_walkthrough = [button("m0", "start_missing_walkthrough", T - 30), action("missing_walkthrough_form"),
                      loop("missing_walkthrough_form"), typed("m1", "no", "deny"), action("missing_walkthrough_form"),
                      typed("m2", "police", "inform", T + 10)]
    restarted = answered(10)
    restarted.insert(3, {"event": "restart"})
    for events in (after_fallback, after_greeting, in_walkthrough, restarted):
        assert only(events).signals == [], events


def test_out_of_scope_answers_count_as_answers() -> None:
    events = [typed("m1", "my foster child ran off", "out_of_scope"), action("utter_out_of_scope"),
              typed("m2", "a child in foster care is missing", "child_missing", T + 15)]
    assert only(events).signals == [Signal("m1", rephrased=True)]


def test_the_logging_action_gets_each_signal_once_with_the_next_message() -> None:
    events = answered(20)
    first = only(events[:3])  # the action after the first answer: m2 has not arrived
    assert [r.message_id for r in first.records] == ["m1"] and first.signals == []
    second = only(events, after="m1")  # the action after the second answer
    assert [r.message_id for r in second.records] == ["m2"] and second.signals == [Signal("m1", rephrased=True)]
    assert only(events, after="m2").signals == []
