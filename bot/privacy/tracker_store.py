"""Rasa's SQL tracker store, storing only redacted text and pseudonymous senders.

Rasa's own tracker store keeps the raw text of every message. This one
redacts each user event as it is written and files conversations under a
keyed hash of the sender id. Configured in endpoints.yml; the database is
DATABASE_URL (PostgreSQL in production) or the SQLite file var/tracker.db.
"""
from __future__ import annotations

import json
import time
from collections import OrderedDict
from typing import Any, Dict, Iterator, List, Tuple

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url

from bot import settings
from bot.db.engine import configure_sqlite
from bot.privacy.events import redact_event
from bot.privacy.pseudonym import pseudonymise

# Conversations kept in memory between messages: bounded in number and age.
CACHE_SIZE = 500
CACHE_SECONDS = 15 * 60
DEFAULT_URL = f"sqlite:///{settings.VAR_DIR / 'tracker.db'}"


def tracker_store_url() -> str:
    return settings.TRACKER_DATABASE_URL.get() or settings.DATABASE_URL.get() or DEFAULT_URL


def _connection_arguments(url: str) -> Dict[str, Any]:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        settings.VAR_DIR.mkdir(mode=0o700, exist_ok=True)
        return {"dialect": "sqlite", "db": parsed.database}
    return {
        "dialect": parsed.drivername,
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
        "query": dict(parsed.query) or None,
    }


class RedactingTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Domain | None = None,
        url: str | None = None,
        event_broker: EventBroker | None = None,
        wait_for_database: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("host", None)  # Rasa passes the endpoint's `url` as `host`; the database URL comes from `url`
        if event_broker is not None:
            raise ValueError("RedactingTrackerStore does not stream events: an event broker would see raw text")
        url = url or tracker_store_url()
        if not wait_for_database:
            # Rasa's store retries forever until the database is up; a command should fail fast instead.
            engine = sa.create_engine(url, future=True)
            with engine.connect():
                pass
            engine.dispose()
        super().__init__(domain=domain, event_broker=event_broker, **_connection_arguments(url), **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", configure_sqlite)
            self.engine.dispose()
        # sender id -> (when saved, the live tracker); process memory only, never stored
        self._cache: OrderedDict[str, Tuple[float, DialogueStateTracker]] = OrderedDict()

    @staticmethod
    def _redact(text: str) -> str:
        from bot.privacy.redactor import redact

        return redact(text)

    def _event_query(self, session: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        return super()._event_query(session, pseudonymise(sender_id), fetch_events_from_all_sessions)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation as this process last saved it, if the database still agrees; else from the database.

        Rebuilding a long conversation from stored JSON on every message costs more than everything
        else the assistant does; the count check keeps several server processes consistent.
        """
        cached = self._cache.get(sender_id)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            with self.session_scope() as session:
                stored = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
            if stored == len(cached[1].events):
                self._cache.move_to_end(sender_id)
                return cached[1]
        self._cache.pop(sender_id, None)
        return await super().retrieve(sender_id)

    def _remember(self, tracker: DialogueStateTracker) -> None:
        self._cache[tracker.sender_id] = (time.monotonic(), tracker)
        self._cache.move_to_end(tracker.sender_id)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self._save(tracker)
        self._remember(tracker)

    async def _save(self, tracker: DialogueStateTracker) -> None:
        sender = pseudonymise(tracker.sender_id)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = redact_event(event.as_dict(), self._redact)
                session.add(
                    self.SQLEvent(
                        sender_id=sender,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    def conversations(self) -> Iterator[Tuple[str, List[Dict[str, Any]]]]:
        """Every stored conversation as (pseudonymous sender, serialised events), for backfill."""
        with self.session_scope() as session:
            senders = [s for (s,) in session.query(self.SQLEvent.sender_id).distinct().all()]
        for sender in senders:
            with self.session_scope() as session:
                rows = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender).order_by(
                    self.SQLEvent.id
                )
                yield sender, [json.loads(row.data) for row in rows]

    def purge(self, before_timestamp: float) -> int:
        """Deletes events older than a UNIX timestamp; returns how many."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.timestamp < before_timestamp).delete()
            session.commit()
            return int(deleted)
