"""The tracker store keeps only redacted text and pseudonymous senders (SQLite and a real PostgreSQL)."""
from __future__ import annotations

import asyncio
import json
import time

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings
from bot.privacy.pseudonym import pseudonymise
from bot.privacy.tracker_store import RedactingTrackerStore

RAW = "Jayden Smith (07700 900461) has gone missing from 22 Elm Grove"


@pytest.fixture
def store_url(empty_database_url: str) -> str:
    """Not migrated: the tracker store creates its own table."""
    return empty_database_url


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(settings.DOMAIN_FILE))


def conversation(domain: Domain, sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, domain.slots)
    tracker.update(UserUttered(RAW, {"name": "child_missing", "confidence": 0.9}, message_id="m1",
                               metadata={"user_name": "Jane Practitioner"}))
    tracker.update(ActionExecuted("utter_child_missing"))
    tracker.update(BotUttered("If the child is in immediate danger, call 999 now."))
    tracker.update(SlotSet("practitioner_role", "police"))
    tracker.update(UserUttered("/feedback_helpful", {"name": "feedback_helpful", "confidence": 1.0}, message_id="m2"))
    return tracker


def stored_rows(url: str) -> list:
    engine = sa.create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT sender_id, data FROM events ORDER BY id")).all()
    engine.dispose()
    return rows


def test_only_redacted_text_is_stored(store_url: str, domain: Domain) -> None:
    store = RedactingTrackerStore(domain, url=store_url)
    asyncio.run(store.save(conversation(domain, "teams-user-jane")))
    rows = stored_rows(store_url)
    everything = " ".join(data for _, data in rows)
    for secret in ("Jayden", "Smith", "07700", "Elm Grove", "Jane Practitioner", "teams-user-jane"):
        assert secret not in everything
    assert {sender for sender, _ in rows} == {pseudonymise("teams-user-jane")}
    user = [json.loads(data) for _, data in rows if json.loads(data)["event"] == "user"]
    assert user[0]["text"] == "[NAME] ([PHONE]) has gone missing from [ADDRESS]"
    assert user[0]["parse_data"]["text"] == user[0]["text"]
    assert user[1]["text"] == "/feedback_helpful"


def test_conversation_comes_back_by_the_original_sender_id(store_url: str, domain: Domain) -> None:
    store = RedactingTrackerStore(domain, url=store_url)
    asyncio.run(store.save(conversation(domain, "web-123")))
    tracker = asyncio.run(store.retrieve("web-123"))
    assert tracker is not None and tracker.get_slot("practitioner_role") == "police"
    assert tracker.latest_message.text == "/feedback_helpful"
    # saving again adds nothing twice
    asyncio.run(store.save(tracker))
    assert len(stored_rows(store_url)) == len(tracker.events)
    [(sender, events)] = list(store.conversations())
    assert sender == pseudonymise("web-123") and len(events) == len(tracker.events)


def test_purge_removes_old_events(store_url: str, domain: Domain) -> None:
    store = RedactingTrackerStore(domain, url=store_url)
    asyncio.run(store.save(conversation(domain, "old")))
    assert store.purge(time.time() - 3600) == 0
    stored = len(stored_rows(store_url))
    assert stored > 0 and store.purge(time.time() + 1) == stored
    assert stored_rows(store_url) == []


def test_commands_fail_fast_when_the_database_is_down(domain: Domain) -> None:
    with pytest.raises(sa.exc.OperationalError):
        RedactingTrackerStore(domain, url="postgresql://postgres@127.0.0.1:1/none", wait_for_database=False)


def test_a_saved_conversation_is_served_from_memory_while_the_database_agrees(store_url: str, domain: Domain) -> None:
    store = RedactingTrackerStore(domain, url=store_url)
    tracker = conversation(domain, "cached")
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("cached")) is tracker
    # another process adds an event: the database no longer agrees, so it is read afresh
    other = RedactingTrackerStore(domain, url=store_url)
    fresh = asyncio.run(other.retrieve("cached"))
    fresh.update(ActionExecuted("action_listen"))
    asyncio.run(other.save(fresh))
    again = asyncio.run(store.retrieve("cached"))
    assert again is not tracker and len(again.events) == len(tracker.events) + 1
