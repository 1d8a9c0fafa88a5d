"""Rebuilds query-log rows, their feedback and their signals from the redacted tracker store; safe to run any
number of times (rows already logged are skipped, feedback and signals set the same values again)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.querylog.from_tracker import extract
from bot.querylog.store import QueryLog


class ConversationSource(Protocol):
    def conversations(self) -> Any: ...


@dataclass
class Backfilled:
    conversations: int = 0
    rows: int = 0
    feedback: int = 0
    signals: int = 0


def _already_redacted(text: str) -> str:
    # The tracker store holds only redacted text; redacting again would change nothing.
    return text


def backfill(source: ConversationSource, log: QueryLog, partnership: str) -> Backfilled:
    result = Backfilled()
    for sender, events in source.conversations():
        extracted = extract(events, sender, partnership, _already_redacted)
        result.conversations += 1
        result.rows += log.record(extracted.records)
        result.feedback += sum(log.set_feedback(message_id, helpful) for message_id, helpful in extracted.feedback)
        result.signals += sum(log.mark(signal) for signal in extracted.signals)
    return result
