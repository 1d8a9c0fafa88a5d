"""Rasa NLU component: who is typing, and about which child, from the spaCy entity ruler's matches.

The ruler (bot/nlu/spacy_pipeline.py) finds the field's words with their canonical value as the
match id; this turns them into Rasa entities with that value, whatever the spelling:
- practitioner_role: the role of whoever is typing. A role's name counts only where it describes
  the writer ("I'm the DSL", "as a foster carer", "PC here", "Foster carer. My 14yo…"), or a
  self-description names it ("my foster son", "our pupil"). Only the first one counts.
- role_mention: a role's name that does not describe the writer ("tell the social worker"):
  it fills no slot except the role a "what does the YOS do?" question asks about.
- care_status, concern and safeguarding_term: as matched.
- implied_care_status: "in_care" where a foster carer or children's home is named and no care status is.
Where one message names several care statuses or concerns, bot.nlu.entity_precedence keeps one.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.content import vocabulary
from bot.nlu.component import StatelessComponent

EXTRACTOR = "SituationEntityExtractor"
ROLE = "practitioner_role"
IMPLIED_CARE_STATUS = "implied_care_status"
# Entities passed on as the ruler found them.
PASSED_ON = ("care_status", "concern", "safeguarding_term")


def _alternatives(words: List[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_QUALIFIERS = rf"(?:(?:{_alternatives(vocabulary.SELF_QUALIFIERS)}) ){{0,2}}"
_DETERMINERS = ("a", "an", "the", "her", "his", "their", "this child's", "the child's", "the childs",
                "the young person's", "the yp's", "one of the", "part of the", "in the", "with the", "from the",
                "on the")
_SELF_BEFORE = re.compile(
    rf"(?:^|[^\w'])(?P<lead>{_alternatives(vocabulary.SELF_BEFORE)}) "
    rf"(?:(?:{_alternatives(list(_DETERMINERS))}) )?{_QUALIFIERS}$"
)
_NOT_SELF_AS = re.compile(rf"(?:^|[^\w'])(?:{_alternatives(vocabulary.NOT_SELF_BEFORE_AS)}) as $")
_HERE = re.compile(r"^ here\b(?! (?:is|are|was|were|said|says|has|have|had|told|will)\b)")
# "who is the missing coordinator here": a role asked about, not the writer
_ASKED_ABOUT = re.compile(r"\b(?:the|a|an|your|their|his|her|our|my|any|which|what|whose) $")
# An adult's age: "19yo", "19 year old", "aged 20", "(20)"
_ADULT_AGE = re.compile(r"(?<![\w£$])(?:aged )?\(?(?:1[89]|2[0-5])\)?(?: ?(?:yo|y/o|yrs?|years?)(?: ?old)?|(?= ?\)))",
                        re.IGNORECASE)
_GREETING = re.compile(rf"^(?:(?:{_alternatives(vocabulary.GREETINGS)})\b[\s,.!:;-]*)?")
_AT_START = re.compile(rf"^{_QUALIFIERS}$")
_SENTENCE_END = re.compile(r"[.!?](?!\d)")  # not "10.30"
# "Who needs to know? Parents. Social worker. Police.": a list of who to tell, not the writer
_WHO = rf"(?:the )?(?:{_alternatives([name for names in vocabulary.PRACTITIONER_ROLES.values() for name in names])}|" \
       r"parents?|mum|dad|carers?|family)"
_A_LIST_OF_ROLES = re.compile(rf"^\s*[.!]\s*{_WHO}\s*(?:[.!,]|$)")
_ONLY_A_ROLE = re.compile(rf"^\s*{_WHO}\s*$")
_ALONE_AFTER = re.compile(r"^\s*(?:[.!]|$| here\b)")
# A rank or title followed by the writer's surname at the start of a message ("DS Khan:", "PC Ashworth,").
_SURNAME = re.compile(r" [A-Z][a-z]*(?:[-'’][A-Z]?[a-z]+)?(?=[,.:;!(]| -| here\b)")
# A carer's or home's name that says the child is in care ("foster carer", "resi worker", "home manager").
_NAMES_CARE = re.compile(r"\b(?:foster|children'?s home|kids home|residential|resi|rsw|home manager|our home|"
                         r"our unit|registered manager)\b")


def _normal(text: str) -> str:
    """Lower case, straight apostrophes, single spaces."""
    return re.sub(r"\s+", " ", text.lower().replace("’", "'"))


def _first_word(text: str) -> str:
    match = re.match(r"\s*([\w']+)", text)
    return match.group(1) if match else ""


def _starts_with_self_after(after: str) -> bool:
    after = after.lstrip()
    if not after:
        return True
    for word in vocabulary.SELF_AFTER:
        if after.startswith(word) and (not word[-1].isalnum() or not after[len(word):len(word) + 1].isalnum()):
            return True
    return False


def describes_writer(text: str, start: int, end: int) -> bool:
    """Whether the role named at text[start:end] is the writer's own ("I'm the DSL", "DSL here")."""
    before, after = _normal(text[:start]), _normal(text[end:])
    prefix = _SELF_BEFORE.search(before)
    if prefix:
        if prefix.group("lead") != "as":
            return True
        return not _NOT_SELF_AS.search(before[:prefix.end("lead")] + " ") and (
            _first_word(after) not in vocabulary.NOT_SELF_AFTER_AS)
    if _HERE.match(after if after.startswith(" ") else " " + after) and not _ASKED_ABOUT.search(before):
        return True
    if _alone_in_its_sentence(before, after):  # "he's gone again tonight. foster carer. police then EDT?"
        return True
    opening = _GREETING.sub("", before.lstrip(" ,.!-"), count=1).strip(" ,.!-–—:")  # "Hi - foster carer in ..."
    if not _AT_START.match(opening + " " if opening else ""):
        return False
    surname = _SURNAME.match(text[end:]) if _normal(text[start:end]) in vocabulary.RANKS else None
    return _starts_with_self_after(_normal(text[end + surname.end():]) if surname else after)


def _alone_in_its_sentence(before: str, after: str) -> bool:
    """A role's name that is a sentence of its own after another sentence ("... since easter. Foster carer.")."""
    sentences = _SENTENCE_END.split(before)
    if len(sentences) < 2 or before.rstrip().endswith("?"):  # "Who rings the parents? Police.": an answer
        return False
    alone = bool(_AT_START.match(sentences[-1].strip() + " " if sentences[-1].strip() else "")) and bool(
        _ALONE_AFTER.match(after))
    return alone and not _A_LIST_OF_ROLES.match(after) and not _ONLY_A_ROLE.match(sentences[-2])


def _entity(kind: str, value: str, start: int, end: int) -> Dict[str, Any]:
    return {"entity": kind, "value": value, "start": start, "end": end, "confidence": 1.0, "extractor": EXTRACTOR}


def situation_entities(doc: Any) -> List[Dict[str, Any]]:
    """Rasa entities, with canonical values, from a spaCy doc tagged by the project's entity ruler."""
    text = doc.text
    found: List[Dict[str, Any]] = []
    writer_known = False
    for ent in doc.ents:
        label, value = ent.label_, ent.ent_id_ or ent.text.lower()
        start, end = ent.start_char, ent.end_char
        if label == vocabulary.SELF_DESCRIPTION_LABEL:
            if not writer_known:
                found.append(_entity(ROLE, value, start, end))
                writer_known = True
            implied = _implied_care_status(ent.text)
            if implied:
                found.append(_entity("care_status", implied, start, end))
        elif label == ROLE:
            if describes_writer(text, start, end):
                if not writer_known:
                    found.append(_entity(ROLE, value, start, end))
                    writer_known = True
            else:
                found.append(_entity(vocabulary.ROLE_MENTION, value, start, end))
        elif label == "safeguarding_term" and value in vocabulary.TERMS_NAMING_A_ROLE \
                and describes_writer(text, start, end):
            if not writer_known:
                found.append(_entity(ROLE, vocabulary.TERMS_NAMING_A_ROLE[value], start, end))
                writer_known = True
        elif label in PASSED_ON:
            found.append(_entity(label, value, start, end))
    return _with_care_leaver(text, _with_implied_care(text, _without_giving_way(doc, found)))


def _with_implied_care(text: str, found: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """A foster carer or children's home named, and no care status said: the child is probably in care.

    Its own entity (and slot), so it never overrides a care status said, now or earlier in the conversation.
    """
    if any(entity["entity"] == "care_status" for entity in found):
        return found
    for entity in found:
        if entity["entity"] in (ROLE, vocabulary.ROLE_MENTION) and entity["value"] == "carer":
            implied = _implied_care_status(text[entity["start"]:entity["end"]])
            if implied:
                return [*found, _entity(IMPLIED_CARE_STATUS, implied, entity["start"], entity["end"])]
    return found


def _without_giving_way(doc: Any, found: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Drops a concern named only by words that give way to another concern in the same message."""
    concerns = {entity["value"] for entity in found if entity["entity"] == "concern"}
    matched = {(ent.start_char, ent.end_char): _normal(ent.text) for ent in doc.ents}
    return [entity for entity in found if not (
        entity["entity"] == "concern" and len(concerns) > 1
        and matched.get((entity["start"], entity["end"])) in vocabulary.GIVES_WAY.get(entity["value"], []))]


def _with_care_leaver(text: str, found: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """A care leavers' worker writing about someone of 18 or over: the young person is a care leaver."""
    worker = any(entity["entity"] == ROLE and _normal(text[entity["start"]:entity["end"]]).split(" here")[0]
                 in vocabulary.CARE_LEAVER_WORKERS for entity in found)
    age = _ADULT_AGE.search(text)
    if worker and age and not any(entity["entity"] == "care_status" for entity in found):
        found.append(_entity("care_status", "care_leaver_adult", age.start(), age.end()))
    return found


def _implied_care_status(phrase: str) -> str | None:
    """A self-description that names the child's care too ("my foster son" is a child in care)."""
    return "in_care" if _NAMES_CARE.search(_normal(phrase)) else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class SituationEntityExtractor(StatelessComponent):
    @classmethod
    def required_components(cls) -> List[type]:
        return [SpacyNLP]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None:
                continue
            found = situation_entities(doc)
            if found:
                message.set(ENTITIES, (message.get(ENTITIES) or []) + found, add_to_output=True)
        return messages
