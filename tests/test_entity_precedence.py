from __future__ import annotations

from bot.content.vocabulary import MOST_SPECIFIC_FIRST
from bot.nlu.entity_precedence import keep_most_specific


def entity(kind: str, value: str) -> dict:
    return {"entity": kind, "value": value}


def test_most_specific_care_status_wins_whatever_the_order() -> None:
    for entities in (
        [entity("care_status", "in_care_out_of_area"), entity("care_status", "in_care")],
        [entity("care_status", "in_care"), entity("care_status", "in_care_out_of_area")],
    ):
        assert keep_most_specific(entities, MOST_SPECIFIC_FIRST) == [entity("care_status", "in_care_out_of_area")]


def test_other_entities_are_kept() -> None:
    entities = [entity("practitioner_role", "police"), entity("care_status", "at_home"),
                entity("safeguarding_term", "return home interview")]
    assert keep_most_specific(entities, MOST_SPECIFIC_FIRST) == [entities[0], entities[2], entities[1]]
