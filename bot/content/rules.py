"""Rasa rules derived from the catalogue: every topic is answered, also mid-walkthrough.

Writing ~100 near-identical rules by hand invites gaps; generating them from
the topic list means a new topic is answered everywhere as soon as it exists.
"""
from __future__ import annotations

from typing import Dict, List

from bot.content.topics import Catalogue

FORMS = ("missing_walkthrough_form", "found_walkthrough_form")
# Conversation intents answered by a response of the same name (utter_<intent>).
CONVERSATION_INTENTS = ("greet", "goodbye", "thank", "help", "out_of_scope", "bot_challenge")
# Runs after every answer: writes the query (and any not yet written) to the query log.
LOG_ACTION = "action_log_query"
# Answered during a walkthrough without ending it.
INTERRUPTING_CONVERSATION_INTENTS = ("greet", "thank", "help", "out_of_scope", "bot_challenge")


def answer_rules(catalogue: Catalogue) -> List[Dict]:
    rules = []
    for intent in list(catalogue.topics) + list(CONVERSATION_INTENTS):
        rules.append(
            {
                "rule": f"answer {intent}",
                "steps": [{"intent": intent}, {"action": f"utter_{intent}"}, {"action": LOG_ACTION}],
            }
        )
    for form in FORMS:
        for intent in list(catalogue.topics) + list(INTERRUPTING_CONVERSATION_INTENTS):
            rules.append(
                {
                    "rule": f"answer {intent} during {form}, then carry on",
                    "condition": [{"active_loop": form}],
                    "steps": [
                        {"intent": intent},
                        {"action": f"utter_{intent}"},
                        {"action": LOG_ACTION},
                        {"action": form},
                        {"active_loop": form},
                    ],
                }
            )
    return rules


def document(catalogue: Catalogue) -> Dict:
    return {"version": "3.1", "rules": answer_rules(catalogue)}
