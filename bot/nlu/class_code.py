"""Rasa NLU component: finds a trainer's class code ("join class K7P2QX") as a class_code entity.

A rule, not a trained extractor: codes are random, so there is nothing to learn, and the one
pattern (bot.quiz.codes) is shared with the action that reads it. Codes are not personal data;
the redactor still decides what the logged text keeps.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component import StatelessComponent
from bot.quiz.codes import CODE_IN_TEXT

ENTITY = "class_code"


def class_code_entities(text: str) -> List[dict]:
    return [
        {"entity": ENTITY, "value": match.group(0), "start": match.start(), "end": match.end(),
         "confidence": 1.0, "extractor": "ClassCodeExtractor"}
        for match in CODE_IN_TEXT.finditer(text or "")
    ][:1]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ClassCodeExtractor(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):  # a button payload carries its own entities
                continue
            found = class_code_entities(text)
            if found:
                message.set(ENTITIES, (message.get(ENTITIES) or []) + found, add_to_output=True)
        return messages
