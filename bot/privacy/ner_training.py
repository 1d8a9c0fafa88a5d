"""Trains the spaCy name recogniser used by the redactor, on synthetic messages only.

No pretrained English NER can be downloaded here, so `make install` trains a
small one (a minute or two on 2 cores) and saves it to build/spacy/en_redaction.
"""
from __future__ import annotations

import random
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import minibatch

from bot.privacy.synthetic import generate

LABEL = "NAME"
DEFAULT_EXAMPLES = 6000
DEFAULT_EPOCHS = 8


def _examples(nlp: spacy.Language, count: int, seed: int) -> list:
    examples = []
    for text, spans in generate(count, seed):
        doc = nlp.make_doc(text)
        ents = [doc.char_span(start, end, label=label, alignment_mode="expand") for start, end, label in spans]
        entities = [(span.start_char, span.end_char, span.label_) for span in ents if span is not None]
        examples.append(Example.from_dict(doc, {"entities": entities}))
    return examples


def train(out: Path, count: int = DEFAULT_EXAMPLES, epochs: int = DEFAULT_EPOCHS, seed: int = 7) -> Path:
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label(LABEL)  # type: ignore[attr-defined]
    examples = _examples(nlp, count, seed)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(epochs):
        random.shuffle(examples)
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    nlp.meta.update({"name": "redaction", "version": "1.0.0", "description": "Names in practitioner messages"})
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return out
