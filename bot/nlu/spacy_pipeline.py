"""Builds the project's own spaCy pipeline (official models cannot be downloaded here).

Blank English + the lookup lemmatizer (tables from spacy-lookups-data, stored
inside the saved pipeline) + an entity ruler for safeguarding vocabulary.
Rasa's SpacyNLP loads it by path.
"""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from bot.content import vocabulary

PIPELINE_NAME = "en_safeguarding"
PIPELINE_VERSION = "1.0.0"


def build() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    nlp.initialize()
    ruler.add_patterns(vocabulary.ruler_patterns())  # type: ignore[attr-defined]
    nlp.meta.update(
        {
            "name": PIPELINE_NAME.removeprefix("en_"),
            "version": PIPELINE_VERSION,
            "description": "Blank English with lookup lemmas and safeguarding vocabulary",
        }
    )
    return nlp


def save(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    build().to_disk(path)
    return path
