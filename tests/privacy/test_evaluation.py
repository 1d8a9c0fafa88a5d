"""The redaction scorer (bot.privacy.evaluation) and the hand-written sets it reads."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Tuple

import pytest

from bot.privacy import evaluation
from bot.privacy.evaluation import evaluate, scored_part

Span = Tuple[int, int, str]
LISTED_KINDS = {"condition", "service", "legal", "clothing", "group", "place", "nationality", "word"}


def _scored(kind: str, text: str) -> str:
    offset, length = scored_part(kind, text)
    return text[offset:offset + length]


@pytest.mark.parametrize(
    ("kind", "annotated", "scored"),
    [
        ("ADDRESS", "22 Larch Avenue, Wythenshawe", "22 Larch Avenue"),
        ("ADDRESS", "11 Savile Garth, Thornhill Lees, Dewsbury", "11 Savile Garth"),
        ("ADDRESS", "Bóthar na Trá, Salthill", "Bóthar na Trá"),
        ("ADDRESS", "3 bishopsgate, york", "3 bishopsgate"),
        # a Welsh street after a house name is part of the address, not a town
        ("ADDRESS", "Tŷ Gwyn, Heol y Bont", "Tŷ Gwyn, Heol y Bont"),
        ("ADDRESS", "Flat 12, Marlowe Court", "Flat 12, Marlowe Court"),
        ("ADDRESS", "Chestnut View, no. 8, Ripon", "Chestnut View, no. 8"),
        # what could be a street or a building is scored, as is anything with a digit
        ("ADDRESS", "Flat 2, Kirkgate", "Flat 2, Kirkgate"),
        ("ADDRESS", "Bryn Awel, Maes y Coed", "Bryn Awel, Maes y Coed"),
        ("ADDRESS", "Fox Chase - number 31", "Fox Chase - number 31"),
        ("ADDRESS", "7 Hill Top Farm", "7 Hill Top Farm"),
        ("DATE", "the 3rd", "3rd"),
        ("ADDRESS", "the Grange, Brantingham Lane, Elloughton", "Grange, Brantingham Lane"),
        ("NAME", "Mrs Okonjo", "Mrs Okonjo"),
    ],
)
def test_towns_after_an_address_are_not_scored_the_street_is(kind: str, annotated: str, scored: str) -> None:
    assert _scored(kind, annotated) == scored


class FixedSpans:
    def __init__(self, spans: List[Span]) -> None:
        self._spans = spans

    def spans(self, text: str) -> List[Span]:
        return self._spans


def _score(tmp_path: Path, text: str, pii: list, spans: List[Span]) -> evaluation.Scores:
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"text": text, "pii": pii}) + "\n", encoding="utf-8")
    return evaluate(FixedSpans(spans), path)  # type: ignore[arg-type]


def test_an_address_counts_when_its_words_are_covered_even_if_a_comma_is_not(tmp_path: Path) -> None:
    text = "at Tŷ Gwyn, Lôn Isaf today"
    pii = [{"type": "ADDRESS", "text": "Tŷ Gwyn, Lôn Isaf"}]
    assert _score(tmp_path, text, pii, [(3, 10, "ADDRESS"), (12, 20, "NAME")]).recall() == {"ADDRESS": 1.0}
    assert _score(tmp_path, text, pii, [(3, 10, "ADDRESS")]).recall() == {"ADDRESS": 0.0}


def test_words_outside_personal_data_that_are_redacted_count_against_words_kept(tmp_path: Path) -> None:
    text = "Jayden went to the park"
    scores = _score(tmp_path, text, [{"type": "NAME", "text": "Jayden"}], [(0, 6, "NAME"), (19, 23, "NAME")])
    assert scores.recall() == {"NAME": 1.0}
    assert (scores.words_kept, scores.words_total) == (3, 4)


def test_a_listed_word_touched_by_any_redaction_counts_as_lost(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    text = "Jayden has autism and went missing from respite"
    keep = [{"text": "autism", "kind": "condition"}, {"text": "respite", "kind": "service"}]
    path.write_text(json.dumps({"text": text, "pii": [{"type": "NAME", "text": "Jayden"}], "keep": keep}) + "\n")
    scores = evaluate(FixedSpans([(0, 6, "NAME"), (11, 17, "NAME")]), path)  # type: ignore[arg-type]
    assert scores.listed(["condition"]) == 0.0 and scores.listed(["service"]) == 1.0
    assert scores.words_lost == {"autism": 1}
    assert not scores.meets_targets()


@pytest.mark.parametrize("path", [test_set.path for test_set in evaluation.TEST_SETS], ids=lambda path: path.name)
def test_every_set_is_well_formed(path: Path) -> None:
    kinds = {"NAME", "DATE", "ADDRESS", "POSTCODE", "PHONE", "EMAIL", "NHS_NUMBER", "NI_NUMBER", "HANDLE"}
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) >= 300
    for item in items:
        for pii in item["pii"]:
            assert pii["type"] in kinds, pii
            assert pii["text"] in item["text"], pii
        for listed in item.get("keep", []):
            assert listed["kind"] in LISTED_KINDS and listed["text"] in item["text"], listed
