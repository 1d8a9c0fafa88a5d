"""Safeguarding vocabulary: one list feeds the spaCy entity ruler and Rasa's synonyms.

Each entity maps a canonical value to the ways practitioners write it. Matching
is case-insensitive; when phrases overlap the longest one wins.
"""
from __future__ import annotations

from typing import Dict, List

PRACTITIONER_ROLES: Dict[str, List[str]] = {
    "police": [
        "police", "police officer", "pc", "pcso", "detective", "cop", "response officer",
        "missing person coordinator", "mispers coordinator", "neighbourhood officer",
        "i'm an officer", "i am an officer", "police force", "the police",
    ],
    "social_care": [
        "social worker", "sw", "social care", "children's social care", "childrens social care",
        "csc", "social services", "children's services", "childrens services", "iro",
        "independent reviewing officer", "team manager", "leaving care worker",
        "personal adviser", "mash worker", "edt worker", "family support worker",
    ],
    "carer": [
        "foster carer", "foster parent", "foster mum", "foster dad", "fostering",
        "residential worker", "residential care worker", "residential support worker",
        "care worker", "carer", "key worker", "home manager", "registered manager",
        "work in a children's home", "work at a children's home", "work in a childrens home",
        "children's home worker", "childrens home worker", "support worker",
    ],
    "school": [
        "teacher", "dsl", "designated safeguarding lead", "deputy dsl", "safeguarding lead",
        "head teacher", "headteacher", "head of year", "pastoral lead", "pastoral manager",
        "school", "senco", "attendance officer", "teaching assistant", "college", "academy",
    ],
    "health": [
        "gp", "school nurse", "nurse", "health visitor", "doctor", "a&e", "a and e",
        "emergency department", "paediatrician", "camhs", "midwife", "health",
        "nhs", "hospital", "practice nurse",
    ],
    "youth_justice": [
        "yos", "yot", "yjs", "youth offending", "youth offending service", "youth offending team",
        "youth justice", "youth justice service", "yos worker", "yot worker",
    ],
}

CARE_STATUSES: Dict[str, List[str]] = {
    "in_care": [
        "lac", "cic", "cla", "looked after", "looked-after", "looked after child", "in care",
        "child in care", "foster care", "foster placement", "children's home", "childrens home",
        "residential placement", "residential home", "care home", "section 20", "care order",
        "in placement",
    ],
    "in_care_out_of_area": [
        "out of area", "out-of-area", "out of county", "out of borough", "ooa",
        "placed out of area", "placed out of county", "placed out of borough",
        "placed by another la", "placed by another local authority", "placed by another council",
        "out of area placement", "out of county placement", "placed in another county",
        "host authority", "placing authority",
    ],
    "at_home": [
        "lives at home", "living at home", "at home with", "with his parents", "with her parents",
        "with his mum", "with her mum", "with his dad", "with her dad", "with family",
        "not in care", "not looked after", "not lac",
    ],
}

SAFEGUARDING_TERMS: Dict[str, List[str]] = {
    "return home interview": ["rhi", "return home interview", "return interview", "rhis"],
    "emergency duty team": ["edt", "emergency duty team", "out of hours team"],
    "multi-agency safeguarding hub": ["mash", "front door", "multi-agency safeguarding hub"],
    "child sexual exploitation": ["cse", "sexual exploitation", "child sexual exploitation"],
    "child criminal exploitation": ["cce", "criminal exploitation", "county lines"],
    "early help": ["caf", "early help", "common assessment framework", "early help assessment"],
    "safe and well check": ["safe and well", "safe and well check", "prevention interview"],
    "philomena protocol": ["philomena", "philomena protocol", "philomena form"],
    "strategy meeting": ["strategy meeting", "strategy discussion", "strat meeting"],
    "multi-agency child exploitation": ["mace", "mace meeting"],
}

ENTITIES: Dict[str, Dict[str, List[str]]] = {
    "practitioner_role": PRACTITIONER_ROLES,
    "care_status": CARE_STATUSES,
    "safeguarding_term": SAFEGUARDING_TERMS,
}


def ruler_patterns() -> List[dict]:
    """Patterns for spaCy's EntityRuler (phrase patterns matched on lower-case text)."""
    return [
        {"label": entity, "pattern": phrase, "id": canonical}
        for entity, values in ENTITIES.items()
        for canonical, phrases in values.items()
        for phrase in phrases
    ]


def synonyms() -> Dict[str, List[str]]:
    """Rasa entity synonyms: canonical value -> every other way of writing it."""
    table: Dict[str, List[str]] = {}
    for values in ENTITIES.values():
        for canonical, phrases in values.items():
            table.setdefault(canonical, []).extend(p for p in phrases if p != canonical)
    return table

# When one message names several care statuses ("LAC placed out of county"),
# the most specific one is what the practitioner means.
MOST_SPECIFIC_FIRST: Dict[str, List[str]] = {
    "care_status": ["in_care_out_of_area", "in_care", "at_home"],
}
