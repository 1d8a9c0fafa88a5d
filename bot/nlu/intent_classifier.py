"""Rasa's logistic-regression intent classifier, safe for messages with no words.

Rasa 3.6's LogisticRegressionClassifier raises on a message without features
(empty, only spaces), and the practitioner then gets no reply at all. Such a
message gets no intent here instead, so the FallbackClassifier turns it into
the "did you mean" reply.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


def has_features(message: Message) -> bool:
    sentence = message.get_sparse_features(attribute=TEXT)[1]
    return sentence is not None and sentence.features.shape[-1] > 0 and sentence.features.nnz > 0


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    def process(self, messages: List[Message]) -> List[Message]:
        scorable = [message for message in messages if has_features(message)]
        for message in messages:
            if message not in scorable:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if scorable:
            super().process(scorable)
        return messages
