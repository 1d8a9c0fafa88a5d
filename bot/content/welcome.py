"""The welcome message that channels show before the practitioner says anything.

Rendered from the same content as the assistant's greeting, so it never drifts from it,
and sent by the channel itself: a welcome is not a query, so it is not logged.
"""
from __future__ import annotations

import functools
from typing import Any, Dict

from bot import settings
from bot.content import partnership as partnerships
from bot.content import topics
from bot.content.render import Renderer


def unescape(text: str) -> str:
    """Undoes render.literal: outside Rasa nothing interpolates slots."""
    return text.replace("{{", "{").replace("}}", "}")


@functools.lru_cache(maxsize=8)
def welcome(partnership_id: str | None = None) -> Dict[str, Any]:
    """{"text": ..., "buttons": [{"title", "payload"}]} for the partnership's greeting."""
    renderer = Renderer(partnerships.load(partnership_id or settings.partnership_id()), topics.load())
    greeting = renderer.responses()["utter_greet"][-1]
    return {
        "text": unescape(greeting["text"]),
        "buttons": [
            {"title": unescape(button["title"]), "payload": unescape(button["payload"])}
            for button in greeting.get("buttons", [])
        ],
    }


def partnership_name(partnership_id: str | None = None) -> str:
    return partnerships.load(partnership_id or settings.partnership_id()).name
