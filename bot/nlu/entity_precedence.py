"""Rasa NLU component: one value per entity type where a message names several.

Rasa fills a slot from the last matching entity, so "placed out of county,
she's LAC" would record the child as placed locally. This keeps the most
specific value (bot.content.vocabulary.MOST_SPECIFIC_FIRST) and drops the rest.
"""
from __future__ import annotations

from typing import Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from bot.content.vocabulary import MOST_SPECIFIC_FIRST
from bot.nlu.component import StatelessComponent


def keep_most_specific(entities: List[dict], order: Dict[str, List[str]]) -> List[dict]:
    kept: List[dict] = []
    best: Dict[str, dict] = {}
    for entity in entities:
        kind = entity.get("entity")
        if kind not in order or entity.get("value") not in order[kind]:
            kept.append(entity)
            continue
        rank = order[kind].index(entity["value"])
        if kind not in best or rank < order[kind].index(best[kind]["value"]):
            best[kind] = entity
    return kept + list(best.values())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityPrecedence(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES)
            if entities:
                message.set(ENTITIES, keep_most_specific(entities, MOST_SPECIFIC_FIRST), add_to_output=True)
        return messages
