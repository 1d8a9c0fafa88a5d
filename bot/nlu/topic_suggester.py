"""Rasa NLU component: on a low-confidence message, suggest the closest topics.

Runs after the FallbackClassifier. When it has set the intent to
`nlu_fallback`, this adds entities naming the three best-ranked topic intents
and their titles. Slots filled from those entities feed the buttons of the
`utter_clarify` response, so the clarifying reply needs no action server.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

SUGGESTIONS = 3
# Offered when the ranking holds too few topics (gibberish ranks small talk first).
DEFAULT_TOPICS = ("child_missing", "child_found", "local_contacts")
TITLES_FILE = "topic_titles.json"
EXTRACTOR = "TopicSuggester"


def suggestion_entities(ranking: List[Dict[str, Any]], titles: Dict[str, str]) -> List[dict]:
    """Entities for the best-ranked intents that are topics, best first."""
    topics = [entry["name"] for entry in ranking if entry.get("name") in titles]
    topics += [topic for topic in DEFAULT_TOPICS if topic in titles and topic not in topics]
    entities = []
    for number, intent in enumerate(topics[:SUGGESTIONS], start=1):
        for entity, value in ((f"suggestion_{number}", intent),
                              (f"suggestion_{number}_title", titles[intent])):
            entities.append({"entity": entity, "value": value, "extractor": EXTRACTOR})
    return entities


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TopicSuggester(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"topics_dir": "data/topics"}

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        titles: Dict[str, str] | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._titles = titles or {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TopicSuggester:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        from bot.content import topics

        catalogue = topics.load(Path(self._config["topics_dir"]))
        trained = set(training_data.intents)
        self._titles = {k: t.title for k, t in catalogue.topics.items() if k in trained}
        with self._model_storage.write_to(self._resource) as directory:
            (directory / TITLES_FILE).write_text(json.dumps(self._titles), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TopicSuggester:
        with model_storage.read_from(resource) as directory:
            titles = json.loads((directory / TITLES_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, titles)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME:
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            extra = suggestion_entities(ranking, self._titles)
            message.set(ENTITIES, list(message.get(ENTITIES) or []) + extra, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
