"""Rasa NLU component: a typed quiz answer is exactly a typed choice, decided by rule, not by the classifier.

The classifier learns the typed answers ("b", "the second one", "option 3") from a few short examples, and
short messages look alike to it: "she's done one" (she has run off) or "done a runner" could be read as a
quiz answer and never reach the guidance. So a typed message is a quiz answer only when
bot.quiz.choices.typed_choice reads a choice in it: then it is one with full confidence; otherwise
quiz_answer goes to the bottom of the ranking, and the next intent or the "did you mean" reply follows.
Whether a quiz is running is for actions/quiz.py: with none, a typed choice is not taken as an answer.
Button payloads (/quiz_answer{...}) are left alone.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component import StatelessComponent
from bot.quiz.choices import typed_choice
from bot.quiz.render import ANSWER_INTENT

LETTERS = "abcd"  # the most choices a scenario has


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuizChoiceGate(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue
            intent = message.get(INTENT) or {}
            everything = list(message.get(INTENT_RANKING_KEY) or [])
            others = [entry for entry in everything if entry.get("name") != ANSWER_INTENT]
            if typed_choice(text, LETTERS) is not None:
                top = {"name": ANSWER_INTENT, "confidence": 1.0}
                message.set(INTENT, top, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [top, *others], add_to_output=True)
            elif intent.get("name") == ANSWER_INTENT:
                first = others[0] if others else {"name": None, "confidence": 0.0}
                message.set(INTENT, {"name": first["name"], "confidence": first["confidence"]}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, others + [e for e in everything if e.get("name") == ANSWER_INTENT],
                            add_to_output=True)
        return messages
