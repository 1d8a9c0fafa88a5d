"""Plain words for the query log's names, and what is shown when the content cannot be read."""
from __future__ import annotations

from typing import Iterator

import pytest

from bot.content import partnership, topics
from bot.content.render import ROLE_BUTTONS
from bot.review import labels


@pytest.fixture
def fresh() -> Iterator[None]:
    caches = (labels._catalogue, labels._roles, labels._partnership)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def test_names_in_plain_words(fresh) -> None:
    catalogue = topics.load()
    assert labels.topic_label("child_missing") == catalogue.topics["child_missing"].title
    assert labels.intent_label("escalation") == catalogue.topics["escalation"].title
    assert labels.intent_label("start_found_walkthrough") == catalogue.intent_buttons["start_found_walkthrough"]
    assert labels.topic_label("missing_walkthrough_form") == "Walkthrough: child missing"
    assert labels.topic_label("out_of_scope") == "Outside what the assistant covers"
    assert labels.topic_label(None) == "(no topic)"
    assert labels.intent_label("nlu_fallback") == "Not understood"
    assert [labels.channel_label(c) for c in ("socketio", "rest", "teams")] == ["Web chat", "REST API",
                                                                              "Microsoft Teams"]
    assert {value: labels.role_label(value) for _, value in ROLE_BUTTONS} == {v: t for t, v in ROLE_BUTTONS}
    assert labels.role_label("_none") == labels.role_label(None) == "(not given)"
    assert labels.partnership_label("bscb") == partnership.load("bscb", draft=True).name


def test_unknown_names_have_their_underscores_turned_to_spaces(fresh) -> None:
    assert labels.topic_label("new_topic_added") == "New topic added"
    assert labels.channel_label("some_channel") == "some channel"
    assert labels.role_label("youth_worker") == "Youth worker"
    assert labels.partnership_label("no_such_pack") == "no such pack"


def test_the_dashboard_does_without_the_content(fresh, monkeypatch) -> None:
    def unreadable(*args: object, **kwargs: object) -> None:
        raise ValueError("a topic file is being edited")

    monkeypatch.setattr(topics, "load", unreadable)
    monkeypatch.setattr(partnership, "load", unreadable)
    assert labels.topic_label("child_missing") == "Child missing"
    assert labels.topic_label("missing_walkthrough_form") == "Walkthrough: child missing"
    assert labels.intent_label("start_quiz") == "Start quiz"
    assert labels.partnership_label("pan_cheshire") == "pan cheshire"
