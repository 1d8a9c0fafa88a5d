"""The spool that keeps records while the database is down, and replays them once it is back."""
from __future__ import annotations

import json
import multiprocessing
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import portalocker
import pytest
from sqlalchemy.exc import OperationalError

from bot.querylog.records import CHOSEN, REFUSED, QueryRecord, Signal
from bot.querylog.spool import DurableQueryLog
from bot.querylog.store import QueryLog
from tests.querylog.helpers import T0


@pytest.fixture
def spool(tmp_path) -> Path:
    return tmp_path / "spool" / "querylog.jsonl"


@pytest.fixture
def down(unreachable_url, spool) -> DurableQueryLog:
    return DurableQueryLog(QueryLog(unreachable_url), spool)


@pytest.fixture
def up(log, spool) -> DurableQueryLog:
    return DurableQueryLog(log, spool)


class DropsAfter(QueryLog):
    """A real QueryLog whose connection drops after a number of successful record() calls."""

    def __init__(self, url: str, calls: int) -> None:
        super().__init__(url)
        self.calls = calls

    def record(self, records) -> int:
        if self.calls == 0:
            raise OperationalError("INSERT INTO query_log", None, ConnectionResetError("server closed the connection"))
        self.calls -= 1
        return super().record(records)


def _lines(path) -> list:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_records_are_spooled_while_the_database_is_down_then_written_once(down, up, log, spool, make_record) -> None:
    records = [make_record() for _ in range(3)]
    assert down.record(records) == 0
    assert down.record(records[:1]) == 0  # a caller's retry: spooled again, still logged once
    assert [json.loads(line)["kind"] for line in _lines(spool)] == ["record"] * 4
    assert log.count() == 0

    assert up.flush() == 3
    assert list(log.rows()) == records
    assert not spool.exists()
    assert up.flush() == 0


def test_writing_again_flushes_the_spool_first(down, up, log, spool, make_record) -> None:
    spooled, fresh = make_record(), make_record()
    down.record([spooled])
    assert up.record([fresh]) == 1
    assert [row.message_id for row in log.rows()] == [spooled.message_id, fresh.message_id]
    assert not spool.exists()


def test_nothing_to_record_spools_nothing(down, spool) -> None:
    assert down.record([]) == 0
    assert not spool.exists()


def test_feedback_while_the_database_is_down(down, up, log, spool, make_record) -> None:
    record = make_record()
    log.record([record])
    assert down.set_feedback(record.message_id, False) is False
    assert down.set_feedback(record.message_id, True) is False
    assert up.flush() == 2
    assert next(log.rows()).helpful is True  # the last word wins
    assert not spool.exists()


def test_feedback_spooled_before_its_record_arrives_is_applied(down, up, log, spool, make_record) -> None:
    early, late = make_record(), make_record()
    # Database down: the feedback on `early` is spooled ahead of `early` itself.
    assert down.set_feedback(early.message_id, True) is False
    down.record([early])
    assert up.flush() == 2
    assert next(log.rows()).helpful is True

    # Database up, but the record is not there yet: the feedback waits in the spool.
    assert up.set_feedback(late.message_id, False) is False
    assert up.record([late]) == 1
    assert up.flush() == 1
    assert [row.helpful for row in log.rows()] == [True, False]
    assert not spool.exists()


def test_feedback_whose_record_never_arrives_is_set_aside_after_a_while(log, spool) -> None:
    patient = DurableQueryLog(log, spool)
    assert patient.set_feedback("ghost", True) is False
    assert patient.flush() == 0
    assert len(_lines(spool)) == 1  # still waiting

    impatient = DurableQueryLog(log, spool, feedback_ttl=timedelta(0))
    assert impatient.flush() == 0
    assert not spool.exists()
    assert json.loads(_lines(impatient.rejected_path)[0])["message_id"] == "ghost"


def test_a_failure_midway_through_the_replay_loses_nothing(down, database_url, log, spool, make_record) -> None:
    records = [make_record() for _ in range(10)]
    down.record(records)
    down.set_feedback(records[0].message_id, True)

    flaky = DurableQueryLog(DropsAfter(database_url, calls=2), spool, batch_size=3)
    with pytest.raises(OperationalError):
        flaky.flush()
    assert log.count() == 6  # two batches of three committed
    assert [json.loads(line).get("record", {}).get("message_id") for line in _lines(spool)] == [
        *(record.message_id for record in records[6:]),
        None,  # the feedback, still to apply
    ]

    # record() never raises: the new record joins the spool.
    extra = make_record()
    assert DurableQueryLog(DropsAfter(database_url, calls=0), spool).record([extra]) == 0

    assert DurableQueryLog(log, spool).flush() == 4 + 1 + 1
    assert list(log.rows()) == [replace(records[0], helpful=True), *records[1:], extra]
    assert not spool.exists()


def test_a_crash_after_the_commit_but_before_the_spool_is_removed(down, up, log, spool, make_record) -> None:
    records = [make_record() for _ in range(5)]
    down.record(records)
    down.set_feedback(records[2].message_id, False)
    spooled = spool.read_bytes()
    assert up.flush() == 6
    spool.write_bytes(spooled)  # as if the process died before removing the spool

    assert up.flush() == 1  # only the (idempotent) feedback "takes effect" again
    assert log.count() == 5
    assert [row.helpful for row in log.rows()] == [None, None, False, None, None]


def test_a_line_cut_short_by_a_crash_is_set_aside(down, up, log, spool, make_record) -> None:
    first, second = make_record(), make_record()
    down.record([first])
    with open(spool, "ab") as file:
        file.write(b'{"kind": "record", "record": {"message_id": "cut-sh')  # no newline: the crash
    down.record([second])

    assert up.flush() == 2
    assert [row.message_id for row in log.rows()] == [first.message_id, second.message_id]
    assert _lines(up.rejected_path) == ['{"kind": "record", "record": {"message_id": "cut-sh']


def test_a_row_the_database_refuses_does_not_block_the_others(up, log, spool, make_record) -> None:
    good, bad = make_record(), make_record(channel=None)  # NOT NULL violation
    assert up.record([good, bad]) == 0  # spooled rather than lost or raised
    assert up.flush() == 1
    assert [row.message_id for row in log.rows()] == [good.message_id]
    assert json.loads(_lines(up.rejected_path)[0])["record"]["message_id"] == bad.message_id
    assert not spool.exists()


def test_an_outage_leaves_the_spool_untouched(down, spool, make_record) -> None:
    down.record([make_record()])
    inode = spool.stat().st_ino
    down.record([make_record()])
    assert spool.stat().st_ino == inode  # appended to, not rewritten
    assert len(_lines(spool)) == 2


def test_writers_do_not_wait_for_another_process_replaying_the_spool(down, up, log, spool, make_record) -> None:
    spooled, fresh = make_record(), make_record()
    down.record([spooled])
    with portalocker.Lock(str(spool.with_name(spool.name + ".lock")), "a", timeout=5):  # the other process
        assert up.record([fresh]) == 1
        assert up.flush(wait=False) == 0
    assert up.flush() == 1
    assert log.count() == 2


def test_the_spool_is_private(down, spool, make_record) -> None:
    down.record([make_record()])
    assert stat.S_IMODE(spool.stat().st_mode) == 0o600


def _record_from_another_process(url: str, spool: str, worker: int) -> None:
    log = DurableQueryLog(QueryLog(url), spool)
    for n in range(25):
        record = QueryRecord(
            f"w{worker}-{n}", T0 + timedelta(seconds=n), "rest", "s", "p", None, "text " * 50, None, None, None,
            False, False,
        )
        log.record([record])


def test_several_processes_share_one_spool(unreachable_url, log, spool) -> None:
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_record_from_another_process, args=(unreachable_url, str(spool), worker))
        for worker in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(_lines(spool)) == 100
    assert DurableQueryLog(log, spool).flush() == 100
    assert log.count() == 100


# -- signals: updates learnt from the next message, spooled like feedback --------------------------------------

def test_signals_while_the_database_is_down_are_replayed_after_their_records(down, up, log, spool,
                                                                            make_record) -> None:
    fell_back, answered = make_record(fell_back=True), make_record()
    # the order the logging action writes in during an outage: each row, then what the next message says
    down.record([fell_back])
    assert down.mark(Signal(fell_back.message_id, did_you_mean=REFUSED)) is False
    down.record([answered])
    assert down.mark(Signal(answered.message_id, rephrased=True)) is False
    assert [json.loads(line)["kind"] for line in _lines(spool)] == ["record", "signal", "record", "signal"]
    assert json.loads(_lines(spool)[1])["values"] == {"did_you_mean": "refused"}

    assert up.flush() == 4
    rows = {row.message_id: row for row in log.rows()}
    assert rows[fell_back.message_id].did_you_mean == "refused" and rows[fell_back.message_id].rephrased is None
    assert rows[answered.message_id].rephrased is True and rows[answered.message_id].did_you_mean is None
    assert not spool.exists()
    assert up.flush() == 0


def test_a_signal_and_feedback_on_one_row_both_hold(down, up, log, make_record) -> None:
    record = make_record()
    down.record([record])
    down.set_feedback(record.message_id, False)
    down.mark(Signal(record.message_id, rephrased=True))
    assert up.flush() == 3
    row = next(log.rows())
    assert (row.helpful, row.rephrased) == (False, True)


def test_a_signal_is_applied_at_once_when_the_database_is_up(up, log, spool, make_record) -> None:
    record = make_record(fell_back=True)
    log.record([record])
    assert up.mark(Signal(record.message_id, did_you_mean=CHOSEN, chosen_topic="child_found")) is True
    assert up.mark(Signal(record.message_id, did_you_mean=CHOSEN, chosen_topic="child_found")) is True  # again
    row = next(log.rows())
    assert (row.did_you_mean, row.chosen_topic) == ("chosen", "child_found")
    assert not spool.exists()


def test_a_signal_waits_for_its_record_then_is_set_aside_if_it_never_comes(up, log, spool, make_record) -> None:
    late = make_record()
    assert up.mark(Signal(late.message_id, rephrased=True)) is False  # database up, row not there yet
    assert up.flush() == 0 and len(_lines(spool)) == 1
    assert up.record([late]) == 1  # flushes first (signal still waiting), then inserts
    assert up.flush() == 1
    assert next(log.rows()).rephrased is True

    assert up.mark(Signal("ghost", rephrased=True)) is False
    assert DurableQueryLog(log, spool, feedback_ttl=timedelta(0)).flush() == 0
    assert not spool.exists()
    assert json.loads(_lines(up.rejected_path)[0]) | {"spooled_at": None} == {
        "kind": "signal", "message_id": "ghost", "values": {"rephrased": True}, "spooled_at": None}


def test_spool_lines_written_before_the_signals_still_replay(up, log, spool) -> None:
    """Lines as the spool held them before the runner-up and signal columns: no such fields, no signal kind."""
    old_record = {"message_id": "old-1", "created_at": "2024-03-01T12:00:00+00:00", "channel": "socketio",
                  "sender": "p_x", "partnership": "pan_cheshire", "practitioner_role": None,
                  "text": "who pays for the hotel", "intent": "nlu_fallback", "confidence": 0.4, "topic": None,
                  "fell_back": True, "is_button": False, "helpful": None}
    lines = [json.dumps({"kind": "record", "record": old_record}),
             json.dumps({"kind": "feedback", "message_id": "old-1", "helpful": False,
                         "spooled_at": "2024-03-01T12:00:05+00:00"})]
    spool.parent.mkdir(parents=True, exist_ok=True)
    spool.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert up.flush() == 2
    row = next(log.rows())
    assert (row.message_id, row.intent, row.fell_back, row.helpful) == ("old-1", "nlu_fallback", True, False)
    assert (row.runner_up_intent, row.did_you_mean, row.rephrased) == (None, None, None)
    assert not spool.exists() and not up.rejected_path.exists()


def test_a_failure_midway_keeps_the_signals(down, database_url, log, spool, make_record) -> None:
    records = [make_record() for _ in range(4)]
    down.record(records)
    down.mark(Signal(records[3].message_id, rephrased=True))
    with pytest.raises(OperationalError):
        DurableQueryLog(DropsAfter(database_url, calls=1), spool, batch_size=2).flush()
    assert [json.loads(line)["kind"] for line in _lines(spool)] == ["record", "record", "signal"]
    assert DurableQueryLog(log, spool).flush() == 3
    assert [row.rephrased for row in log.rows()] == [None, None, None, True]
