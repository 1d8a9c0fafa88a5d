"""The signals of a miss through the logging action's path (with a database outage) and through
`python -m bot backfill` from the redacted tracker store: the same rows either way."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List

from sqlalchemy import delete

from bot.db.tables import query_log
from bot.privacy.events import redact_event
from bot.querylog.backfill import backfill
from bot.querylog.service import log_new_queries
from bot.querylog.spool import DurableQueryLog
from bot.querylog.store import QueryLog
from tests.querylog.test_from_tracker import T, action, button, fallback, never_called, typed

SENDER = "p_" + "ab" * 16  # already a pseudonym: passed through as it is
PARTNERSHIP = "pan_cheshire"

# (the practitioner's message, the assistant's replies): the logging action runs after each
TURNS: List[tuple] = [
    (typed("m1", "a child has run off from school", "child_missing", T), ["utter_child_missing"]),
    (typed("m2", "a pupil left school without permission", "missing_education", T + 25), ["utter_missing_education"]),
    (button("m3", "feedback_not_helpful", T + 40), ["utter_feedback_sorry"]),
    (fallback("m4", T + 200), ["utter_clarify"]),
    (button("m5", "training", T + 210), ["utter_training"]),
    (fallback("m6", T + 400, "the bill for the b&b"), ["utter_clarify"]),
    (button("m7", "none_of_these", T + 405), ["utter_default"]),
    (typed("m8", "bye", "goodbye", T + 420), ["utter_goodbye"]),
]


def conversation(turns: int = len(TURNS)) -> List[Dict[str, Any]]:
    events: List[Dict[str, Any]] = [action("action_session_start")]
    for message, replies in TURNS[:turns]:
        events += [message, *(action(reply) for reply in replies), action("action_log_query")]
    return events


@dataclass
class TrackerStore:
    events: List[Dict[str, Any]]

    def conversations(self) -> Any:
        yield SENDER, [redact_event(event, never_called) for event in self.events]


def signals_of(rows) -> dict:
    return {row.message_id: (row.did_you_mean, row.chosen_topic, row.rephrased, row.helpful) for row in rows
            if (row.did_you_mean, row.chosen_topic, row.rephrased, row.helpful) != (None, None, None, None)}


EXPECTED = {"m1": (None, None, True, None),  # m2 typed 25 s after the answer to m1
            "m2": (None, None, None, False),  # marked not helpful (m3), not rephrased: m3 is a button
            "m4": ("chosen", "training", None, None),
            "m6": ("refused", None, None, None)}


def test_live_logging_through_an_outage_then_backfill_give_the_same_rows(unreachable_url, database_url,
                                                                          tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PARTNERSHIP", PARTNERSHIP)
    spool = tmp_path / "spool.jsonl"
    log = QueryLog(database_url)
    down, up = DurableQueryLog(QueryLog(unreachable_url), spool), DurableQueryLog(log, spool)
    logged_until = None
    for turn in range(1, len(TURNS) + 1):
        durable = down if turn <= 5 else up  # the database is down for the first five answers
        logged_until = log_new_queries(SENDER, conversation(turn), logged_until, log=durable)
        if turn == 5:
            assert log.count() == 0 and spool.exists()
    assert logged_until == "m8" and not spool.exists()
    live = list(log.rows())
    assert [row.message_id for row in live] == [f"m{n}" for n in range(1, 9)]
    assert signals_of(live) == EXPECTED
    by_id = {row.message_id: row for row in live}
    assert (by_id["m4"].intent, by_id["m4"].runner_up_intent) == ("escalation", "training")

    # the same conversation from the tracker store, into an empty query log
    with log.engine.begin() as connection:
        connection.execute(delete(query_log))
    result = backfill(TrackerStore(conversation()), log, PARTNERSHIP)
    assert (result.rows, result.feedback, result.signals) == (8, 1, 3)
    assert list(log.rows()) == live

    # run again: nothing new, the same signals set again, nothing changed
    again = backfill(TrackerStore(conversation()), log, PARTNERSHIP)
    assert (again.rows, again.signals) == (0, 3)
    assert list(log.rows()) == live


def test_backfill_sets_signals_on_rows_the_action_logged_before_the_next_message(database_url, tmp_path,
                                                                                  monkeypatch) -> None:
    """The action server was down after m1 was logged: backfill writes m2 and the signal m2 gives about m1."""
    monkeypatch.setenv("PARTNERSHIP", PARTNERSHIP)
    log = QueryLog(database_url)
    log_new_queries(SENDER, conversation(1), None, log=DurableQueryLog(log, tmp_path / "spool.jsonl"))
    assert next(log.rows()).rephrased is None
    result = backfill(TrackerStore(conversation(2)), log, PARTNERSHIP)
    assert (result.rows, result.signals) == (1, 1)
    assert [row.rephrased for row in log.rows()] == [True, None]

