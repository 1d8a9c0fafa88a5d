from __future__ import annotations

from bot.nlu.topic_suggester import suggestion_entities

TITLES = {"escalation": "Escalating", "training": "Training", "definitions": "Definitions", "cse_indicators": "CSE"}


def test_suggests_the_three_best_topics_skipping_other_intents() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "greet", "confidence": 0.3},
        {"name": "training", "confidence": 0.25},
        {"name": "escalation", "confidence": 0.2},
        {"name": "definitions", "confidence": 0.1},
        {"name": "cse_indicators", "confidence": 0.05},
    ]
    entities = {e["entity"]: e["value"] for e in suggestion_entities(ranking, TITLES)}
    assert entities == {
        "suggestion_1": "training", "suggestion_1_title": "Training",
        "suggestion_2": "escalation", "suggestion_2_title": "Escalating",
        "suggestion_3": "definitions", "suggestion_3_title": "Definitions",
    }


def test_too_few_topics_in_ranking_are_made_up_with_the_commonest() -> None:
    titles = {**TITLES, "child_missing": "Missing", "child_found": "Found", "local_contacts": "Contacts"}
    entities = suggestion_entities([{"name": "greet", "confidence": 0.9}, {"name": "training", "confidence": 0.1}],
                                   titles)
    values = [e["value"] for e in entities if not e["entity"].endswith("_title")]
    assert values == ["training", "child_missing", "child_found"]
