"""action_log_query on the live tracker: each answer's row, and the signal the next message gives about it."""
from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.query_log import LOGGED_UNTIL_SLOT, ActionLogQuery
from bot.querylog import service
from bot.querylog.spool import DurableQueryLog
from bot.querylog.store import QueryLog
from tests.querylog.test_backfill import SENDER, conversation


def run(events: list, logged_until: str | None) -> list:
    latest = [event for event in events if event["event"] == "user"][-1]["parse_data"]
    tracker = Tracker(SENDER, {LOGGED_UNTIL_SLOT: logged_until}, latest, events, False, None, {}, "action_log_query")
    return asyncio.run(ActionLogQuery().run(CollectingDispatcher(), tracker, {}))


def test_the_action_logs_each_row_then_marks_it_from_the_next_message(database_url, tmp_path, monkeypatch) -> None:
    log = QueryLog(database_url)
    monkeypatch.setattr(service, "durable_log", lambda: DurableQueryLog(log, tmp_path / "spool.jsonl"))
    assert run(conversation(1), None) == [SlotSet(LOGGED_UNTIL_SLOT, "m1")]
    assert [(row.message_id, row.rephrased) for row in log.rows()] == [("m1", None)]
    assert run(conversation(2), "m1") == [SlotSet(LOGGED_UNTIL_SLOT, "m2")]
    assert [(row.message_id, row.rephrased) for row in log.rows()] == [("m1", True), ("m2", None)]
    for turns in range(3, 8):
        run(conversation(turns), f"m{turns - 1}")
    rows = {row.message_id: row for row in log.rows()}
    assert (rows["m4"].did_you_mean, rows["m4"].chosen_topic, rows["m6"].did_you_mean) == ("chosen", "training",
                                                                                         "refused")
    assert (rows["m4"].intent, rows["m4"].confidence, rows["m4"].runner_up_intent) == ("escalation", 0.31,
                                                                                       "training")
