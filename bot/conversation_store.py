"""Fail closed when the conversation store cannot be reached.

Rasa wraps every tracker store in a `FailSafeTrackerStore`: when the database cannot be read it starts the
conversation again from nothing, and when it cannot be written it keeps the conversation in that one
process's memory. With a walkthrough under way that means an answer given without its context (a
practitioner's "no" to "is the child in immediate danger?" read as a new message) and a conversation that
never reaches the database. Here an error of the conversation store is raised instead, as
`ConversationStoreUnavailable`: the message is refused before its answer is sent (bot/channels/rest.py
answers 503, the client sends it again), and nothing of it is kept anywhere.

Installed by the server's input channels, like bot/rasa_speedups.py.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain

logger = logging.getLogger(__name__)
_original = Agent._create_tracker_store


class ConversationStoreUnavailable(Exception):
    """The conversation store could not be read or written: the message was not processed, or not kept."""


def _refuse(error: Exception) -> None:
    # the error's type only: a database error's text can quote the statement and its values
    logger.warning("The conversation store could not be reached (%s): the message is refused",
                   type(error).__name__)
    raise ConversationStoreUnavailable(type(error).__name__) from error


def _create_tracker_store(store: TrackerStore | None, domain: Domain) -> Any:
    created = _original(store, domain)
    if isinstance(created, FailSafeTrackerStore):
        created._on_tracker_store_error = _refuse
    return created


def install() -> None:
    Agent._create_tracker_store = staticmethod(_create_tracker_store)  # type: ignore[assignment]
