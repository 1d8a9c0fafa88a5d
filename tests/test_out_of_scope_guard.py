"""bot.nlu.out_of_scope_guard: "out of scope" only for messages clearly not about safeguarding."""
from __future__ import annotations

from typing import List, Tuple

import pytest
import yaml
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message

from bot import settings
from bot.nlu.out_of_scope_guard import OutOfScopeGuard, demoted, speaks_of_the_field
from bot.nlu.topic_suggester import suggestion_entities

TITLES = {"return_interview": "Return home interviews", "strategy_discussion": "Strategy discussions",
          "child_missing": "Who to notify", "local_contacts": "Local contacts"}


def message(text: str, ranking: List[Tuple[str, float]]) -> Message:
    built = Message.build(text=text)
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    built.set("intent", entries[0] if entries else {"name": None, "confidence": 0.0})
    built.set("intent_ranking", entries)
    return built


def guarded(text: str, ranking: List[Tuple[str, float]]) -> Message:
    [processed] = OutOfScopeGuard({}).process([message(text, ranking)])
    return processed


def fallback(processed: Message) -> Message:
    config = {**FallbackClassifier.get_default_config(), "threshold": 0.4, "ambiguity_threshold": 0.05}
    [result] = FallbackClassifier(config).process([processed])
    return result


@pytest.mark.parametrize("text", [
    "who chairs the strategy meeting", "how long do they have", "the police system won't let me log in",
    "where's the RHI form on the intranet", "our YP's laptop was taken", "is the LAC review on teams",
    "social worker hasn't rung back", "who do I email about a placement", "the child's school called",
    "can't find the return interview template", "10 days absent who do i tell", "she won't answer", "CSE",
    "who's the DSL", "a&e rang", "the childrens home phone is down", "county lines",
])
def test_messages_about_the_field_or_a_person(text: str) -> None:
    assert speaks_of_the_field(text)


@pytest.mark.parametrize("text", [
    "my laptop password expired", "my pc won't start", "outlook is down again", "what's the weather tomorrow",
    "how do i book annual leave", "printer jammed", "who won the match last night", "recipe for spag bol",
    "got any dad jokes", "can you write a birthday message for a colleague", "how long do i cook a roast for",
    "my PA booked the meeting room", "is head office open", "who's our data protection officer",
])
def test_messages_clearly_not_about_safeguarding(text: str) -> None:
    assert not speaks_of_the_field(text)


def test_no_out_of_scope_training_example_speaks_of_the_field() -> None:
    """Else the classifier learns a decline that the guard then overrules (and the evaluation counts it wrong)."""
    clashing = []
    for path in sorted((settings.DATA_DIR / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if item.get("intent") == "out_of_scope":
                clashing += [line.strip()[2:] for line in item["examples"].splitlines()
                             if line.strip() and speaks_of_the_field(line.strip()[2:])]
    assert clashing == [], "out_of_scope examples the guard would overrule; reword them or fix the word lists"


def test_a_field_question_declined_gets_did_you_mean_not_the_decline() -> None:
    processed = guarded("how long do they have", [("out_of_scope", 0.59), ("greet", 0.13), ("return_interview", 0.05),
                                                  ("local_contacts", 0.03)])
    assert processed.get("intent") == {"name": "return_interview", "confidence": 0.05}
    names = [entry["name"] for entry in processed.get("intent_ranking")]
    assert names == ["return_interview", "local_contacts", "greet", "out_of_scope"]
    result = fallback(processed)
    assert result.get("intent")["name"] == "nlu_fallback"
    suggested = suggestion_entities(result.get("intent_ranking"), TITLES)
    assert [e["value"] for e in suggested if e["entity"] in ("suggestion_1", "suggestion_2")] == \
        ["return_interview", "local_contacts"]


def test_a_confident_runner_up_topic_answers() -> None:
    processed = guarded("who chairs the strategy meeting", [("out_of_scope", 0.48), ("strategy_discussion", 0.46),
                                                            ("child_missing", 0.03)])
    assert fallback(processed).get("intent") == {"name": "strategy_discussion", "confidence": 0.46}


def test_small_talk_never_takes_the_place_of_the_decline() -> None:
    processed = guarded("hi, is the police portal down", [("out_of_scope", 0.5), ("greet", 0.45),
                                                          ("local_contacts", 0.02)])
    assert processed.get("intent")["name"] == "local_contacts"
    assert fallback(processed).get("intent")["name"] == "nlu_fallback"


def test_a_decline_alone_in_the_ranking_becomes_no_intent() -> None:
    processed = guarded("how long do they have", [("out_of_scope", 0.9)])
    assert processed.get("intent") == {"name": None, "confidence": 0.0}
    assert fallback(processed).get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize("text, ranking", [
    ("my laptop password expired", [("out_of_scope", 0.89), ("stop", 0.07)]),  # clearly IT: declined
    ("/out_of_scope", [("out_of_scope", 1.0)]),  # a button payload
    ("she's not come back from school", [("child_missing", 0.8), ("out_of_scope", 0.1)]),  # not declined anyway
])
def test_other_messages_are_left_alone(text: str, ranking: List[Tuple[str, float]]) -> None:
    before = message(text, ranking)
    expected = (dict(before.get("intent")), [dict(entry) for entry in before.get("intent_ranking")])
    processed = guarded(text, ranking)
    assert (processed.get("intent"), processed.get("intent_ranking")) == expected


def test_demoted_keeps_the_order_otherwise() -> None:
    ranking = [{"name": n, "confidence": c} for n, c in
               [("out_of_scope", 0.5), ("thank", 0.2), ("escalation", 0.1), ("affirm", 0.1), ("training", 0.1)]]
    assert [e["name"] for e in demoted(ranking)] == ["escalation", "training", "thank", "affirm", "out_of_scope"]
