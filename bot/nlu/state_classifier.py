"""Rasa NLU component: a learned second opinion on the child's state now (missing, found, or neither).

The state reader in bot.nlu.child_state is written rule by rule and keeps meeting wording it has not
seen. This classifier learns the state from whole messages (word and character n-grams, logistic
regression) labelled by people who saw neither the rules nor the training data: the retired held-out
sets' state labels, gathered in data/child_state/examples.jsonl by `python -m bot state-examples`.
It answers nothing itself; ChildStateGuard asks one quick question when it doubts a checklist
(docs/developers.md, "The learned second opinion on the child's state").
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Dict, List

import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot import settings

LEARNED_STATE = "learned_child_state"  # message attribute: {"missing": p, "found": p, "other": p}
STATES = ("missing", "found")
OTHER = "other"  # not yet missing, unclear, or not about a child's state
EXAMPLES = "data/child_state/examples.jsonl"
# What skops must trust to load the pipeline: numpy's and scipy's own types, nothing that runs code.
TRUSTED_TYPES = {"scipy.sparse._csr.csr_matrix", "numpy.float64", "numpy.int64", "builtins.dict",
                 "builtins.str", "collections.defaultdict"}


# A negation marks the next few words ("no one has found him yet" -> "no one not_has not_found not_him"), so the
# regression can tell "found" from "not found"; chosen on the retired sets (docs/developers.md).
NEGATION_SCOPE = 3
_NEGATOR = re.compile(r"^(?:not|no|never|nobody|no-one|noone|none|nothing|neither|nor|without|until|till|til|"
                      r"cannot|cant|dont|didnt|hasnt|havent|isnt|wasnt|wont|aint|\w+n't|nobody's|no-one's|noone's)$")
_TOKEN = re.compile(r"[\w'-]+|[.,;!?]")


def with_negation_marked(text: str) -> str:
    """Marks the words a negation governs. A sentence's opening "no" answers a question ("No, he came back"): it
    negates nothing unless "no one" or "nobody" follows."""
    marked: List[str] = []
    left = 0
    tokens = _TOKEN.findall(text.lower().replace("’", "'"))
    for index, token in enumerate(tokens):
        opening = index == 0 or tokens[index - 1] in ".,;!?"
        if token in ".,;!?":
            left = 0
            marked.append(token)
        elif token in ("no", "nope", "nah") and opening and tokens[index + 1:index + 2] not in (["one"], ["body"]):
            marked.append(token)
        elif _NEGATOR.match(token):
            left = NEGATION_SCOPE
            marked.append(token)
        elif left:
            left -= 1
            marked.append(f"not_{token}")
        else:
            marked.append(token)
    return " ".join(marked)


def state_label(state: str | None) -> str:
    return state if state in STATES else OTHER


def load_examples(path: Path) -> List[Dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def state_pipeline(C: float = 4.0) -> Pipeline:  # noqa: N803 - scikit-learn's name
    features = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, token_pattern=r"[\w'-]+")),
        ("characters", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])
    return Pipeline([("features", features),
                     ("regression", LogisticRegression(C=C, max_iter=3000, class_weight="balanced"))])


def _examples_path(config: Dict[str, Any]) -> Path:
    path = Path(config["examples"])
    return path if path.is_absolute() else settings.ROOT / path


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ChildStateClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"examples": EXAMPLES, "C": 4.0}

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 pipeline: Pipeline | None = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._pipeline = pipeline

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ChildStateClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        """The examples are read from a file, not given by the graph, and the text is prepared here before the
        regression sees it: a changed file, or changed code, must retrain rather than come from Rasa's cache."""
        path = _examples_path({**cls.get_default_config(), **config})
        digest = hashlib.sha256(Path(__file__).read_bytes())
        digest.update(path.read_bytes() if path.exists() else b"")
        return digest.hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        examples = load_examples(_examples_path(self._config))
        texts = [with_negation_marked(example["text"]) for example in examples]
        self._pipeline = state_pipeline(self._config["C"]).fit(
            texts, [state_label(example["state"]) for example in examples])
        with self._model_storage.write_to(self._resource) as model_dir:
            sio.dump(self._pipeline, model_dir / "state.skops")
        return self._resource

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> ChildStateClassifier:
        """Loads the trained pipeline, trusting only the plain types it is made of; anything else fails loudly."""
        with model_storage.read_from(resource) as model_dir:
            path = model_dir / "state.skops"
            untrusted = sio.get_untrusted_types(file=path)
            unexpected = set(untrusted) - TRUSTED_TYPES
            if unexpected:
                raise ValueError(f"unexpected types in the state classifier {path}: {sorted(unexpected)}")
            return cls(config, model_storage, resource, sio.load(path, trusted=untrusted))

    def process(self, messages: List[Message]) -> List[Message]:
        if self._pipeline is None:
            return messages
        scored = [(message, message.get(TEXT) or "") for message in messages if (message.get(TEXT) or "").strip()]
        if not scored:
            return messages
        probabilities = self._pipeline.predict_proba([with_negation_marked(text) for _, text in scored])
        labels = [str(label) for label in self._pipeline.classes_]
        for (message, _), row in zip(scored, probabilities, strict=True):
            message.set(LEARNED_STATE, {label: float(p) for label, p in zip(labels, row, strict=True)})
        return messages
