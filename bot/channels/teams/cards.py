"""Rasa buttons as an Adaptive Card that Teams renders.

Each button is an Action.Submit whose data carries the payload, as a Teams messageBack: the
chat shows the button's title as if the practitioner had typed it, and the bot receives the
payload (as `value` and as text), so Rasa reads it as the intent the button stands for.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List

from bot.channels.teams.formatting import teams_markdown

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
# Teams renders Adaptive Cards up to 1.5 on desktop and mobile.
VERSION = "1.5"
# Teams shows at most 6 actions in one set.
ACTIONS_PER_SET = 6
TITLE_LIMIT = 200


def submit_action(title: str, payload: str) -> Dict[str, Any]:
    title = title.strip()[:TITLE_LIMIT] or payload
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {
            "payload": payload,
            "msteams": {"type": "messageBack", "displayText": title, "text": payload},
        },
    }


def buttons_card(text: str, buttons: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """An attachment: the text, then one Action.Submit per button that has a payload."""
    actions = [
        submit_action(str(button.get("title") or ""), str(button["payload"]))
        for button in buttons
        if isinstance(button, dict) and isinstance(button.get("payload"), str) and button["payload"].strip()
    ]
    body: List[Dict[str, Any]] = []
    if text and text.strip():
        body.append({"type": "TextBlock", "text": teams_markdown(text), "wrap": True})
    # More buttons than one set shows go into further sets in the body, none dropped.
    for start in range(0, len(actions), ACTIONS_PER_SET):
        body.append({"type": "ActionSet", "actions": actions[start:start + ACTIONS_PER_SET]})
    return {
        "contentType": CONTENT_TYPE,
        "content": {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body},
    }


def image_card(url: str) -> Dict[str, Any]:
    return {
        "contentType": CONTENT_TYPE,
        "content": {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION,
                    "body": [{"type": "Image", "url": url}]},
    }
