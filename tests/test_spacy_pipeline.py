from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from bot import settings
from bot.content import vocabulary
from bot.nlu import spacy_pipeline

BUILT = settings.BUILD_DIR / "spacy" / "en_safeguarding"


@pytest.fixture(scope="module")
def nlp() -> Language:
    if not (BUILT / "meta.json").exists():
        spacy_pipeline.save(BUILT)
    return spacy.load(BUILT)


def entities(nlp, text: str) -> dict:
    return {ent.text.lower(): (ent.label_, ent.ent_id_) for ent in nlp(text).ents}


def test_saved_pipeline_has_lemmatizer_and_ruler(nlp) -> None:
    assert nlp.pipe_names == ["lemmatizer", "entity_ruler"]
    assert [t.lemma_ for t in nlp("children were running")] == ["child", "be", "run"]


@pytest.mark.parametrize(
    ("text", "phrase", "label", "canonical"),
    [
        ("our LAC absconded", "lac", "care_status", "in_care"),
        ("she is CiC", "cic", "care_status", "in_care"),
        ("he's placed out of county", "placed out of county", "care_status", "in_care_out_of_area"),
        ("who does the RHI", "rhi", "safeguarding_term", "return home interview"),
        ("ring EDT", "edt", "safeguarding_term", "emergency duty team"),
        ("tell the IRO", "iro", "practitioner_role", "social_care"),
        ("refer to MASH", "mash", "safeguarding_term", "multi-agency safeguarding hub"),
        ("I'm the DSL", "dsl", "practitioner_role", "school"),
        ("YOS worker here", "yos worker", "practitioner_role", "youth_justice"),
        ("CSE concerns", "cse", "concern", "exploitation"),
        ("possible CCE", "cce", "concern", "exploitation"),
        ("UASC gone", "uasc", "concern", "trafficking"),
        ("placed here by Wirral", "placed here by", "care_status", "in_care_from_other_area"),
        ("she's in semi-independent", "semi-independent", "care_status", "supported_accommodation"),
        ("EDT worker here", "edt worker", "practitioner_role", "edt"),
        ("my foster son", "my foster son", "self_description", "carer"),
    ],
)
def test_ruler_recognises_safeguarding_vocabulary(nlp, text, phrase, label, canonical) -> None:
    assert entities(nlp, text)[phrase] == (label, canonical)


def test_longest_phrase_wins(nlp) -> None:
    assert entities(nlp, "I work in a children's home")["work in a children's home"] == ("self_description", "carer")
    assert entities(nlp, "she's not in care")["not in care"] == ("care_status", "at_home")


def test_every_synonym_comes_from_the_vocabulary() -> None:
    for canonical, phrases in vocabulary.synonyms().items():
        assert canonical not in phrases
        assert phrases, canonical
