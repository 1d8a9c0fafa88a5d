"""Rasa NLU component: adds the redacted text of each message to its parse data.

Redacting once, here, means the tracker store and the query-log action both
store the same redacted text without redacting again.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.component import StatelessComponent
from bot.privacy.events import REDACTED_TEXT_KEY, is_button_payload, safe_payload


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class RedactPersonalData(StatelessComponent):
    def __init__(self, config: Dict[str, Any]) -> None:
        from bot.privacy.redactor import default_redactor

        super().__init__(config)
        self._redactor = default_redactor()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            redacted = safe_payload(text) if is_button_payload(text) else self._redactor.redact(text)
            message.set(REDACTED_TEXT_KEY, redacted, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
