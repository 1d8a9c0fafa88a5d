"""Quiz turns in the redacting tracker store and the query log."""
from __future__ import annotations

from bot.nlu.class_code import class_code_entities
from bot.privacy.events import redact_event, safe_payload
from bot.querylog.from_tracker import extract
from bot.quiz.render import answer_payload


def test_quiz_answer_payloads_are_stored_whole() -> None:
    payload = answer_payload("b", 2, "boy_new_phone")
    assert payload == '/quiz_answer{"quiz_choice":"b","quiz_question":"2","quiz_scenario":"boy_new_phone"}'
    assert safe_payload(payload) == payload
    # anything else riding in the payload is dropped
    smuggled = '/quiz_answer{"quiz_choice":"Jayden","quiz_question":"2"}'
    assert safe_payload(smuggled) == '/quiz_answer{"quiz_question":"2"}'


def test_only_known_scenario_ids_are_kept_from_a_quiz_button() -> None:
    smuggled = '/quiz_answer{"quiz_choice":"b","quiz_question":"2","quiz_scenario":"jayden_smith"}'
    assert safe_payload(smuggled) == '/quiz_answer{"quiz_choice":"b","quiz_question":"2"}'
    event = {"event": "user", "text": "x", "parse_data": {"entities": [
        {"entity": "quiz_scenario", "value": "gp_never_told"}, {"entity": "quiz_scenario", "value": "Jayden"},
        {"entity": "quiz_scenario", "value": ["gp_never_told"]}]}}
    stored = redact_event(event, lambda text: text)
    assert [e["value"] for e in stored["parse_data"]["entities"]] == ["gp_never_told", "[REDACTED]", "[REDACTED]"]


def test_quiz_choice_entity_values_outside_the_vocabulary_are_redacted() -> None:
    event = {"event": "user", "text": "x", "parse_data": {"entities": [
        {"entity": "quiz_choice", "value": "c"}, {"entity": "quiz_choice", "value": "Jayden"}]}}
    stored = redact_event(event, lambda text: text)
    assert [e["value"] for e in stored["parse_data"]["entities"]] == ["c", "[REDACTED]"]


def test_class_codes_are_found_in_typed_text() -> None:
    [entity] = class_code_entities("join class k7p2qx")
    assert (entity["entity"], entity["value"], entity["start"], entity["end"]) == ("class_code", "k7p2qx", 11, 17)
    assert class_code_entities("who tells the police when a child goes missing") == []


def _user(message_id: str, text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "message_id": message_id, "timestamp": 1_700_000_000,
            "input_channel": "rest", "parse_data": {"intent": {"name": intent, "confidence": 1.0},
                                                    "redacted_text": text}}


def _action(name: str) -> dict:
    return {"event": "action", "name": name}


def test_quiz_turns_are_logged_with_topic_quiz_and_buttons_marked() -> None:
    events = [
        _user("m1", "quiz me", "start_quiz"), _action("utter_quiz_intro"), _action("action_quiz_start"),
        _action("action_log_query"),
        _user("m2", answer_payload("b", 1, "out_of_area_return"), "quiz_answer"), _action("action_quiz_answer"),
        _action("action_log_query"),
        _user("m3", "who does the return interview", "return_interview"), _action("utter_return_interview"),
        _action("action_log_query"),
        _user("m4", "stop", "stop"), _action("action_quiz_stop"), _action("action_log_query"),
    ]
    records = extract(events, "p_x", "pan_cheshire", lambda text: text).records
    assert [(r.topic, r.is_button) for r in records] == [
        ("quiz", False), ("quiz", True), ("return_interview", False), ("quiz", False)]
