"""Rasa buttons as Adaptive Cards, and answers in the Markdown Teams renders."""
from __future__ import annotations

import json

from bot.channels.teams.cards import CONTENT_TYPE, buttons_card
from bot.channels.teams.formatting import teams_markdown
from bot.content.welcome import welcome

BUTTONS = [
    {"title": "Walk me through it: child missing", "payload": "/start_missing_walkthrough"},
    {"title": "👍 Helpful", "payload": "/feedback_helpful"},
]


def actions(card: dict) -> list:
    return [action for element in card["content"]["body"] if element["type"] == "ActionSet"
            for action in element["actions"]]


def test_a_card_has_the_text_and_one_submit_per_button() -> None:
    card = buttons_card("Who to notify:\n- Police: 101", BUTTONS)
    assert card["contentType"] == CONTENT_TYPE == "application/vnd.microsoft.card.adaptive"
    content = card["content"]
    assert content["type"] == "AdaptiveCard"
    assert tuple(int(part) for part in content["version"].split(".")) <= (1, 5)
    text = content["body"][0]
    assert text == {"type": "TextBlock", "text": "Who to notify:\n\n- Police: 101", "wrap": True}
    assert [action["type"] for action in actions(card)] == ["Action.Submit", "Action.Submit"]
    first = actions(card)[0]
    assert first["title"] == "Walk me through it: child missing"
    assert first["data"]["payload"] == "/start_missing_walkthrough"
    assert first["data"]["msteams"] == {"type": "messageBack", "displayText": "Walk me through it: child missing",
                                        "text": "/start_missing_walkthrough"}
    json.dumps(card)  # what is posted must be JSON


def test_more_buttons_than_teams_shows_in_one_set_are_all_kept_in_order() -> None:
    many = [{"title": f"Topic {n}", "payload": f"/topic_{n}"} for n in range(8)]
    card = buttons_card("Pick one", many)
    sets = [element for element in card["content"]["body"] if element["type"] == "ActionSet"]
    assert [len(s["actions"]) for s in sets] == [6, 2]
    assert [action["data"]["payload"] for action in actions(card)] == [f"/topic_{n}" for n in range(8)]


def test_buttons_without_a_payload_are_skipped_and_untitled_ones_show_the_payload() -> None:
    card = buttons_card("", [{"title": "Link"}, {"title": "", "payload": "/help"}, "junk", {"payload": " "}])
    assert [action["title"] for action in actions(card)] == ["/help"]
    assert [element["type"] for element in card["content"]["body"]] == ["ActionSet"]


def test_the_welcome_becomes_a_card_with_every_button() -> None:
    greeting = welcome()
    card = buttons_card(greeting["text"], greeting["buttons"])
    assert "call 999" in card["content"]["body"][0]["text"]
    assert [action["data"]["payload"] for action in actions(card)] == [b["payload"] for b in greeting["buttons"]]


def test_markdown_keeps_lists_together_and_separates_other_lines() -> None:
    text = "If the child is in danger, call 999.\nWho to notify:\n- Police\n- Social worker\n\nSource: protocol"
    assert teams_markdown(text) == (
        "If the child is in danger, call 999.\n\nWho to notify:\n\n- Police\n- Social worker\n\nSource: protocol"
    )
    assert teams_markdown("1. one\n2) two\n* three") == "1. one\n2) two\n* three"
    assert teams_markdown("  \n") == ""
