"""What the logging action does: log a conversation's new queries, durably, once each."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Dict, Sequence

from bot import settings
from bot.privacy.pseudonym import pseudonymise
from bot.querylog.from_tracker import extract
from bot.querylog.spool import DurableQueryLog
from bot.querylog.store import QueryLog


@functools.lru_cache(maxsize=1)
def durable_log() -> DurableQueryLog:
    return DurableQueryLog(QueryLog(), Path(settings.QUERYLOG_SPOOL.get()))


def _redact(text: str) -> str:
    from bot.privacy.redactor import redact

    return redact(text)


def log_new_queries(
    sender_id: str,
    events: Sequence[Dict[str, Any]],
    logged_until: str | None,
    log: DurableQueryLog | None = None,
) -> str | None:
    """Logs the user messages after `logged_until`; returns the id of the last one logged."""
    log = log or durable_log()
    extracted = extract(events, pseudonymise(sender_id), settings.partnership_id(), _redact, logged_until)
    log.record(extracted.records)
    for message_id, helpful in extracted.feedback:
        log.set_feedback(message_id, helpful)
    for signal in extracted.signals:
        log.mark(signal)
    return extracted.records[-1].message_id if extracted.records else logged_until
