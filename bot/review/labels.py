"""Plain words for the names the query log holds: topics, intents, channels, roles and partnerships.

The log, the filter's values in URLs and the CSV exports keep the raw names (`child_missing`, `socketio`,
`social_care`, `pan_cheshire`): they are machine-readable. Pages show these labels instead. Topic titles come
from the catalogue (data/topics), role names from the role buttons practitioners press, partnership names from
the packs; anything else unknown is shown as its raw value with underscores turned to spaces. If the content
cannot be read, the dashboard still works, with those fallbacks.
"""
from __future__ import annotations

import functools
import logging
from typing import Callable, Dict

from bot.querylog.queries import ROLE_NOT_GIVEN

logger = logging.getLogger(__name__)

NOT_GIVEN = "(not given)"
NO_TOPIC = "(no topic)"
CHANNELS = {"socketio": "Web chat", "rest": "REST API", "teams": "Microsoft Teams"}
# What was answered, when it is not a topic of the catalogue with a title: the walkthroughs, the quiz, the
# conversation's own replies and the walkthroughs' checklists.
TOPICS = {
    "missing_walkthrough_form": "Walkthrough: child missing",
    "found_walkthrough_form": "Walkthrough: child found",
    "quiz": "Scenario quiz (training)",
    "out_of_scope": "Outside what the assistant covers",
    "greet": "Greeting",
    "goodbye": "Goodbye",
    "thank": "Thanks",
    "help": "What the assistant can help with",
    "bot_challenge": "Whether it is a person",
    "stop": "Stopping",
    "feedback_thanks": "Thanks for the feedback",
    "feedback_sorry": "Sorry the answer did not help",
    "missing_checklist": "Checklist: child missing",
    "found_checklist": "Checklist: child found",
    "missing_situation": "Walkthrough: child missing, the situation",
    "found_situation": "Walkthrough: child found, the situation",
}
# Intents that are not topics: what the practitioner did rather than asked about.
INTENTS = {
    "nlu_fallback": "Not understood",
    "affirm": "Yes",
    "deny": "No",
    "inform": "Giving details",
    "none_of_these": "None of these",
    "feedback_helpful": "Feedback: helpful",
    "feedback_not_helpful": "Feedback: not helpful",
    "continue_quiz": "Next quiz question",
    "join_class": "Joining a training class",
    "quiz_answer": "Quiz answer",
}
ROLES_WITHOUT_BUTTON = {"other": "Other"}


def words(value: str) -> str:
    """The last resort: the raw value with underscores turned to spaces."""
    return value.replace("_", " ")


@functools.lru_cache(maxsize=1)
def _catalogue() -> Dict[str, Dict[str, str]]:
    """Titles of the catalogue's topics, and of its buttons for intents that are not topics."""
    try:
        from bot.content import topics

        catalogue = topics.load()
    except Exception as error:  # the dashboard must not depend on the content being valid
        logger.warning("Review dashboard: the topics cannot be read (%s); showing topic names", type(error).__name__)
        return {"topics": {}, "buttons": {}, "responses": {}}
    return {
        "topics": {key: entry.title for key, entry in catalogue.topics.items() if entry.title},
        "buttons": dict(catalogue.intent_buttons),
        "responses": {key: catalogue.label(key) for key in catalogue.responses},
    }


@functools.lru_cache(maxsize=1)
def _roles() -> Dict[str, str]:
    try:
        from bot.content.render import ROLE_BUTTONS

        buttons = {value: title for title, value in ROLE_BUTTONS}
    except Exception as error:  # as above
        logger.warning("Review dashboard: the role buttons cannot be read (%s)", type(error).__name__)
        buttons = {}
    return ROLES_WITHOUT_BUTTON | buttons


@functools.lru_cache(maxsize=32)
def _partnership(partnership_id: str) -> str | None:
    try:
        from bot.content import partnership

        pack = partnership.load(partnership_id, draft=True)
    except Exception:  # an unknown or unreadable pack: its id, in words
        return None
    return pack.name or pack.short_name


def topic_label(topic: str | None) -> str:
    if not topic:
        return NO_TOPIC
    catalogue = _catalogue()
    return (catalogue["topics"].get(topic) or TOPICS.get(topic) or catalogue["responses"].get(topic)
            or words(topic).capitalize())


def intent_label(intent: str | None) -> str:
    if not intent:
        return "–"
    catalogue = _catalogue()
    return (catalogue["topics"].get(intent) or INTENTS.get(intent) or catalogue["buttons"].get(intent)
            or TOPICS.get(intent) or words(intent).capitalize())


def channel_label(channel: str | None) -> str:
    return NOT_GIVEN if not channel else CHANNELS.get(channel, words(channel))


def role_label(role: str | None) -> str:
    if not role or role == ROLE_NOT_GIVEN:
        return NOT_GIVEN
    return _roles().get(role) or words(role).capitalize()


def partnership_label(partnership_id: str | None) -> str:
    if not partnership_id:
        return NOT_GIVEN
    return _partnership(partnership_id) or words(partnership_id)


# the dashboard's filter fields and split names -> their labeller
BY_FIELD: Dict[str, Callable[[str | None], str]] = {
    "channel": channel_label, "role": role_label, "partnership": partnership_label, "topic": topic_label,
    "intent": intent_label,
}


def label(field: str, value: str | None) -> str:
    return BY_FIELD[field](value)
