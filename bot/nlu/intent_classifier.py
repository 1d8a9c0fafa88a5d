"""Rasa's logistic-regression intent classifier, with TF-IDF weighting and safe on empty messages.

The count features are re-weighted by TF-IDF (sublinear term frequency, inverse document frequency,
rows scaled to unit length) before the regression: words every topic uses ("missing", "child",
"what") then weigh less than the words that tell topics apart, and a long message full of context
no longer outweighs its question. Measured on the development set in docs/developers.md.

Rasa 3.6's LogisticRegressionClassifier raises on a message without features (empty, only spaces),
and the practitioner then gets no reply at all. Such a message gets no intent here instead, so the
FallbackClassifier turns it into the "did you mean" reply.
"""
from __future__ import annotations

from typing import Any, Dict, List

import skops.io as sio
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

# The TF-IDF step keeps its weights as a sparse diagonal matrix, which skops does not trust by default.
TRUSTED_TYPES = {"scipy.sparse._csr.csr_matrix"}


def has_features(message: Message) -> bool:
    sentence = message.get_sparse_features(attribute=TEXT)[1]
    return sentence is not None and sentence.features.shape[-1] > 0 and sentence.features.nnz > 0


def tfidf_logistic_regression(config: Dict[str, Any]) -> Pipeline:
    regression = LogisticRegression(
        C=config["C"], solver=config["solver"], max_iter=config["max_iter"], tol=config["tol"],
        class_weight="balanced", random_state=config["random_state"])
    return Pipeline([("tfidf", TfidfTransformer(sublinear_tf=True)), ("regression", regression)])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 30.0}

    def __init__(self, config: Dict[str, Any], *args: Any) -> None:
        super().__init__(config, *args)
        self.clf = tfidf_logistic_regression(self.config)

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SafeLogisticRegressionClassifier:
        """Loads the trained pipeline, trusting only the types it is made of; anything else fails loudly.

        Rasa's own loader would fall back to an untrained classifier without a word.
        """
        with model_storage.read_from(resource) as model_dir:
            path = model_dir / f"{resource.name}.skops"
            untrusted = sio.get_untrusted_types(file=path)
            unexpected = set(untrusted) - TRUSTED_TYPES
            if unexpected:
                raise ValueError(f"unexpected types in the intent classifier {path}: {sorted(unexpected)}")
            component = cls(config, execution_context.node_name, model_storage, resource)
            component.clf = sio.load(path, trusted=untrusted)
            return component

    def process(self, messages: List[Message]) -> List[Message]:
        scorable = [message for message in messages if has_features(message)]
        for message in messages:
            if message not in scorable:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if scorable:
            super().process(scorable)
        return messages
