"""The field's ordinary words, which are never a name on their own.

Conditions and disabilities, substances, services, legal and care statuses, clothing and brands, shops and
venues, nationalities and languages, countries and UK places (field_words.yml), and the safeguarding
vocabulary the assistant's understanding uses (bot/content/vocabulary.py). None of them is personal data
on its own, and each is what a board reading the query log needs: "[NAME] has autism and went missing
from respite", not "[NAME] has [NAME] and went missing from [NAME]".

A listed word is still part of a name when the name finder finds it next to one ("Tyler Ward",
"Kim Ashton") or after a strong cue ("Mrs Hall", "called Rose").
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import FrozenSet, List, Set, Tuple

import yaml
from spacy.tokens import Doc

from bot.content.vocabulary import ENTITIES
from bot.privacy.names import gazetteer

FIELD_WORDS_FILE = Path(__file__).with_name("field_words.yml")
# The longest listed phrase, in tokens ("mixed white and black caribbean").
MAX_PHRASE_TOKENS = 5


# Listed words that are also first names given to children in the UK, missing from the name lists.
FIRST_NAMES_CATEGORY = "also_first_names"
# The categories that name places: an address's town or district after it is part of the address.
PLACE_CATEGORIES = ("uk_places", "countries_and_regions")
# The field's vocabulary: conditions, substances, services, legal statuses, nationalities and languages. Unlike
# a brand or a place ("Armani", "Chelsea"), such a word is no child's name, so an age or a verb after it ("Kenyan,
# 14", "Ketamine was found") does not make it one; a strong cue does ("Mrs Ward", "called Crisis").
VOCABULARY_CATEGORIES = ("conditions", "substances", "services", "legal", "nationalities_and_languages")


class FieldWords:
    def __init__(self, phrases: FrozenSet[str], places: FrozenSet[str] = frozenset(),
                 first_names: FrozenSet[str] = frozenset(), vocabulary: FrozenSet[str] = frozenset()) -> None:
        self.phrases = phrases | vocabulary
        # a phrase's first token as spaCy splits it ("mcdonald" of "mcdonald's"): most words start none
        self.first_words = frozenset(_first_token(phrase) for phrase in self.phrases)
        self.places = places
        self.first_names = first_names  # listed words that are also children's first names
        self.vocabulary = vocabulary

    def __contains__(self, phrase: object) -> bool:
        return phrase in self.phrases

    def spans(self, doc: Doc) -> List[Tuple[int, int]]:
        """(start, end) token offsets of every listed phrase in the text, the longest at each position."""
        words = [token.lower_ for token in doc]
        spaces = [token.whitespace_ for token in doc]
        found: List[Tuple[int, int]] = []
        start = 0
        while start < len(words):
            end = start
            if words[start] in self.first_words:
                phrase = words[start]
                for stop in range(start + 1, min(len(words), start + MAX_PHRASE_TOKENS) + 1):
                    if phrase in self.phrases:
                        end = stop
                    if stop < len(words):
                        phrase += spaces[stop - 1] + words[stop]
            if end > start:
                found.append((start, end))
            start = max(end, start + 1)
        return found

    def in_vocabulary(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the listed phrase at tokens start:end is a condition, substance, service, legal status or
        nationality."""
        return doc[start:end].text.lower() in self.vocabulary


def _first_token(phrase: str) -> str:
    word = phrase.split()[0] if phrase.split() else phrase
    return re.split(r"(?=['’-])", word)[0] or word


def _spellings(phrase: str) -> Set[str]:
    """ "tourette's" is also typed "tourettes" and "tourette"; curly apostrophes become straight ones."""
    phrase = phrase.strip().lower().replace("’", "'")
    spellings = {phrase}
    if phrase.endswith("'s"):
        spellings |= {phrase[:-2], phrase[:-2] + "s"}
    return spellings


@functools.lru_cache(maxsize=1)
def field_words() -> FieldWords:
    listed = yaml.safe_load(FIELD_WORDS_FILE.read_text(encoding="utf-8"))
    phrases = {phrase for words in listed.values() for phrase in words}
    vocabulary = {phrase for category in VOCABULARY_CATEGORIES for phrase in listed.get(category, [])}
    vocabulary |= {phrase for entity in ENTITIES.values() for spellings in entity.values() for phrase in spellings}
    places = {phrase for category in PLACE_CATEGORIES for phrase in listed.get(category, [])}
    first_names = frozenset(listed.get(FIRST_NAMES_CATEGORY, []))
    return FieldWords(_all_spellings(phrases - vocabulary), frozenset(places), first_names,
                      frozenset(form for spelling in _all_spellings(vocabulary) for form in _variants(spelling)))


def _all_spellings(phrases: Set[str]) -> FrozenSet[str]:
    return frozenset(spelling for phrase in phrases for spelling in _spellings(phrase))


_CONSONANT_Y = re.compile(r"[^aeiou]y$")


def _variants(phrase: str) -> Set[str]:
    """The field's vocabulary as it is also typed: with a hyphen, a space or neither ("self-harm", "self harm",
    "selfharm"), and in the plural ("cp plans", "section 20s", "ehcps"), unless the plural is a name ("Brooks")."""
    forms = {phrase}
    if "-" in phrase:
        forms |= {phrase.replace("-", " "), phrase.replace("-", "")}
    for form in list(forms):
        if len(form) < 3 or not form[-1].isalnum() or form.endswith("s"):
            continue
        plural = form[:-1] + "ies" if _CONSONANT_Y.search(form) else form + "s"
        if " " in plural or plural not in gazetteer():
            forms.add(plural)
    return forms
