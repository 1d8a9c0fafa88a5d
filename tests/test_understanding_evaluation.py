"""The one definition of a right, clarifying, fallback or wrong reply, and of a missing/found crossing."""
from __future__ import annotations

import json

import pytest

from bot.nlu.evaluation import Labelled, Reply, load, outcome, score
from bot.nlu.expected_leads import expected_lines, includes_any

MISSING = Labelled("she's still not back", "child_missing", state="missing")
FOUND = Labelled("found him at his nan's", "child_found", state="found")


def test_an_answer_to_the_expected_topic_is_right() -> None:
    assert outcome(MISSING, Reply(("utter_child_missing", "action_log_query"))) == "right"
    # a walkthrough for that topic counts, after the danger-first line
    assert outcome(MISSING, Reply(("utter_walkthrough_danger_first", "missing_walkthrough_form"))) == "right"


def test_did_you_mean_is_clarifying_and_sorry_is_a_fallback() -> None:
    assert outcome(MISSING, Reply(("utter_clarify",))) == "clarifying"
    assert outcome(MISSING, Reply(("utter_default",))) == "fell_back"


def test_a_confident_answer_to_another_topic_is_wrong_and_a_crossing_is_counted() -> None:
    scores = score([MISSING, FOUND], [Reply(("utter_child_found",)), Reply(("utter_child_missing",))])
    assert scores.outcomes["wrong"] == 2
    assert len(scores.crossings) == 2
    assert scores.rate("wrong") == 1.0


def test_out_of_scope_is_right_when_declined() -> None:
    off_topic = Labelled("printer jammed", "out_of_scope", state="not_yet")
    assert outcome(off_topic, Reply(("utter_out_of_scope",))) == "right"
    assert outcome(off_topic, Reply(("utter_child_missing",))) == "wrong"


def test_sets_load_with_optional_labels(tmp_path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"text": "lac awol", "topic": "child_missing", "state": "missing",
                                "role": None, "care_status": "in_care", "concerns": ["exploitation"]}) + "\n\n")
    [item] = load(path)
    assert item.care_status == "in_care" and item.concerns == ("exploitation",) and item.role is None


def test_asking_ahead_for_the_found_checklist_is_no_crossing() -> None:
    ahead = Labelled("still missing, when she's found what do I do", "child_found", state="missing")
    assert score([ahead], [Reply(("utter_child_found",))]).crossings == []
    danger_for_a_found_child = Labelled("found him, he's bleeding", "child_found", state="found")
    assert score([danger_for_a_found_child], [Reply(("utter_immediate_danger",))]).crossings == []


def test_a_named_situation_needs_its_line_in_a_tailored_answer(catalogue) -> None:
    placed_here = Labelled("placed here by another council and not back", "child_missing", state="missing",
                           care_status="in_care_from_other_area")
    [[line]] = expected_lines(catalogue, "child_missing", "in_care_from_other_area", None, ())
    with_line = Reply(("utter_child_missing",), f"Call 999 if in danger.\n{line.capitalize()} and more.")
    assert outcome(placed_here, with_line, catalogue=catalogue) == "right"
    without = Reply(("utter_child_missing",), "Call 999 if in danger.\nReport to the police.")
    assert outcome(placed_here, without, catalogue=catalogue) == "partly"
    # without a catalogue, or in a walkthrough (which asks for the situation), the topic is enough
    assert outcome(placed_here, without) == "right"
    walkthrough = Reply(("utter_walkthrough_danger_first", "missing_walkthrough_form"), "Is the child in danger?")
    assert outcome(placed_here, walkthrough, catalogue=catalogue) == "right"


def test_a_concern_brings_its_line_before_the_role_and_any_named_concern_will_do(catalogue) -> None:
    alternatives = expected_lines(catalogue, "child_missing", None, "school", ("trafficking", "exploitation"))
    assert len(alternatives) == 2
    trafficking = next(lines for lines in alternatives if any("trafficked" in line for line in lines))
    assert includes_any("\n".join(trafficking), alternatives)
    assert not includes_any("nothing about it", alternatives)


def test_untailored_topics_and_unnamed_situations_need_no_line(catalogue) -> None:
    assert expected_lines(catalogue, "training", "in_care", "police", ()) == []
    assert expected_lines(catalogue, "child_missing", None, None, ("mental_health",)) == []
    assert includes_any("anything", [])


def test_an_unknown_situation_label_is_refused_not_counted_right(catalogue) -> None:
    with pytest.raises(ValueError, match="care_status"):
        expected_lines(catalogue, "child_missing", "in_kare", None, ())
    with pytest.raises(ValueError, match="practitioner_role"):
        expected_lines(catalogue, "child_missing", None, "teacher", ())
