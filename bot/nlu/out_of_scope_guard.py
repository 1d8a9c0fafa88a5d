"""Rasa NLU component: "out of scope" only for messages clearly not about safeguarding.

The classifier learns out_of_scope from IT, HR and small-talk messages, so a safeguarding question worded
like them ("who chairs the strategy meeting", "how long do they have") can be declined as off-topic and
sent to the IT service desk. That hides guidance a practitioner needs; a "did you mean" costs one more tap.

So when the classifier's top intent is out_of_scope but the message speaks of the field (any phrase of
bot/content/vocabulary.py's entities: roles, care statuses, concerns, safeguarding terms; or a word such as
missing, police, placement, care or child) or of a person (he, she, they...), out_of_scope goes to the
bottom of the ranking. The best-ranked topic comes first, ahead of small talk: the FallbackClassifier, which runs
next, lets it through if the classifier is confident enough of it, and otherwise the TopicSuggester offers
the closest topics ("did you mean"). Button payloads are left alone, and so is a message about a thing or
a pet gone missing that names no child (bot.nlu.child_state.about_a_thing).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.content.vocabulary import ENTITIES
from bot.nlu.child_state import about_a_thing
from bot.nlu.component import StatelessComponent

OUT_OF_SCOPE = "out_of_scope"
# Words of the field besides the vocabulary's phrases (a plural or "'s" is matched too).
FIELD_WORDS = (
    "missing", "found", "runaway", "run away", "ran away", "running away", "absconded", "abscond", "awol",
    "whereabouts", "misper", "absent", "police", "social worker", "strategy", "rhi", "return interview",
    "exploitation", "exploited", "placement", "placed", "care", "carer", "foster", "child", "children", "kid",
    "teen", "teenager", "young person", "young people", "yp", "boy", "girl", "lad", "pupil", "safeguarding",
    "safeguard", "abuse", "abused", "neglect", "grooming", "groomed", "trafficking", "trafficked",
    "county lines", "harm", "risk", "danger", "999", "101", "philomena", "referral", "episode", "protocol",
    "curfew",
)
# Someone is being talked about: not clearly an IT, HR or small-talk question.
PERSON_WORDS = ("he", "she", "they", "him", "her", "them", "his", "hers", "their", "theirs", "himself",
                "herself", "themselves")
# Vocabulary phrases with an everyday meaning at work: "my pc won't start" is an IT question.
AMBIGUOUS = frozenset({"pc", "sw", "caf", "pa", "dc", "ds", "head", "officer", "team manager"})
# Not a better reading of a question than "out of scope": these never come first after a demotion.
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "bot_challenge", "affirm", "deny", "none_of_these",
                        "feedback_helpful", "feedback_not_helpful", OUT_OF_SCOPE})


def _phrases() -> List[str]:
    """Every phrase that shows a message is about the field, longest first."""
    phrases = set(FIELD_WORDS) | set(PERSON_WORDS)
    for table in ENTITIES.values():  # roles, self-descriptions, care statuses, concerns, safeguarding terms
        for canonical, written in table.items():
            phrases.update(phrase.lower() for phrase in [canonical.replace("_", " "), *written])
    return sorted(phrases - AMBIGUOUS, key=len, reverse=True)


_FIELD = re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(p) for p in _phrases()) + r")(?:s|es|'s|’s)?(?![\w&])",
                    re.IGNORECASE)


def speaks_of_the_field(text: str) -> bool:
    """The message names a safeguarding term, role, care status or field word, or refers to a person."""
    return bool(_FIELD.search(text))


def demoted(ranking: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The ranking with out_of_scope last and small talk after every other intent, otherwise in order."""
    others = [entry for entry in ranking if entry.get("name") != OUT_OF_SCOPE]
    declined = [entry for entry in ranking if entry.get("name") == OUT_OF_SCOPE]
    first = [entry for entry in others if entry.get("name") not in SMALL_TALK]
    chat = [entry for entry in others if entry.get("name") in SMALL_TALK]
    return first + chat + declined


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OutOfScopeGuard(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if text.startswith("/") or intent.get("name") != OUT_OF_SCOPE or not speaks_of_the_field(text) \
                    or about_a_thing(text):
                continue
            ranking = demoted(list(message.get(INTENT_RANKING_KEY) or [intent]))
            top = ranking[0] if ranking[0].get("name") != OUT_OF_SCOPE else {"name": None, "confidence": 0.0}
            message.set(INTENT, {"name": top["name"], "confidence": top["confidence"]}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
