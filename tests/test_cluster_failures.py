"""Two replicas behind nginx under load from 20 practitioners at once (half in a walkthrough, half in a quiz),
while one part fails: a Rasa replica is killed (`kill -9`), PostgreSQL is restarted, Redis is stopped.

The cluster has a PostgreSQL server and a Redis of this module's own, so stopping them disturbs nothing else.
Every practitioner gives each message an id and sends it again after a refusal, as the assistant asks. In
each case: every message is answered in the end; every refusal on the way was one the client is told it can
retry (502 or 503, with a reason); each conversation holds each message exactly once and ends where its
script ends (the walkthrough's checklist, the quiz's score); the query log holds each message exactly once.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import sqlalchemy as sa

from bot import settings
from bot.supervisor import HttpGet, Supervisor, wait_until_ready
from tests.cluster_servers import STARTUP_SECONDS, Cluster, started_cluster
from tests.pg_cluster import PrivatePostgres
from tests.practitioners import RETRYABLE, Practitioner, run_all
from tests.private_redis import private_redis
from tests.servers import descendants, free_port

USERS = 20
OUTAGE_SECONDS = 4.0


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivatePostgres]:
    # not under pytest's tmp dir: that is private to root, and the server runs as postgres
    server = PrivatePostgres(Path(tempfile.mkdtemp(prefix="assistant-pg-")), free_port()).create()
    server.start()
    try:
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory) -> Iterator[Tuple[Supervisor, str]]:
    with private_redis(tmp_path_factory.mktemp("redis")) as (supervisor, url):
        yield supervisor, url


@pytest.fixture(scope="module")
def running_cluster(tmp_path_factory, postgres: PrivatePostgres, own_redis: Tuple[Supervisor, str]
                    ) -> Iterator[Cluster]:
    # 20 practitioners on one address: the door's per-address limits would refuse them
    unlimited = {"WEB_MESSAGES_PER_MINUTE": "100000", "WEB_REQUESTS_PER_MINUTE": "100000"}
    with started_cluster(tmp_path_factory.mktemp("cluster"), postgres.url, own_redis[1], unlimited) as running:
        yield running


def practitioners(running: Cluster) -> List[Practitioner]:
    return [Practitioner(running.url, "walkthrough" if n % 2 else "quiz") for n in range(USERS)]


def query_log_counts(running: Cluster, message_ids: List[str]) -> dict:
    engine = sa.create_engine(running.database_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT message_id, count(*) FROM query_log "
                                              "WHERE message_id = ANY(:ids) GROUP BY message_id"),
                                      {"ids": message_ids}).all()
    finally:
        engine.dispose()
    return dict(rows)


def assert_nothing_lost_or_doubled(running: Cluster, everyone: List[Practitioner]) -> None:
    for practitioner in everyone:
        assert practitioner.error is None, f"{practitioner.sender}: {practitioner.error!r}"
        assert practitioner.finished, (practitioner.kind, practitioner.last_answer[-300:])
        assert all(status in RETRYABLE and reason for status, reason in practitioner.refusals), \
            practitioner.refusals
        events = running.events(practitioner.sender)
        held = [event.get("message_id") for event in events if event["event"] == "user"]
        assert held == practitioner.stored_ids(), (practitioner.sender, held)  # each once, in order
        turns = []
        for event in events:
            if event["event"] == "user":
                turns.append(0)
            elif event["event"] == "bot" and turns:
                turns[-1] += 1
        assert all(turns), (practitioner.sender, turns)  # every message answered in the conversation
    ids = [message_id for practitioner in everyone for message_id in practitioner.stored_ids()]
    counts = query_log_counts(running, ids)
    assert {message_id: counts.get(message_id, 0) for message_id in ids} == dict.fromkeys(ids, 1)


def backfill(running: Cluster) -> str:
    result = subprocess.run([sys.executable, "-m", "bot", "backfill"], cwd=settings.ROOT, env=running.env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-800:]
    return result.stdout


def rasa_server_of_replica(running: Cluster, replica: int) -> int:
    port = running.rasa_ports()[replica - 1]
    found = [pid for pid in descendants(running.process.pid)
             if b"bot.rasa_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes()
             and f"\0--port\0{port}\0".encode() in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(found) == 1, found
    return found[0]


def test_a_replica_killed_under_load_loses_and_doubles_nothing(running_cluster: Cluster) -> None:
    everyone = practitioners(running_cluster)
    victim = rasa_server_of_replica(running_cluster, 1)
    before_kill, answers = run_all(everyone, lambda: os.kill(victim, signal.SIGKILL), after_answers=USERS)
    assert_nothing_lost_or_doubled(running_cluster, everyone)
    assert answers - before_kill >= USERS  # most of the load came after the kill
    print(f"killed under load: {before_kill} answers before, {answers} in all; refusals "
          f"{sorted(status for p in everyone for status, _ in p.refusals)}; lost connections "
          f"{sum(p.lost_connections for p in everyone)}")
    assert running_cluster.process.poll() is None
    # Replica 1 comes back, so the next test starts with two.
    door = running_cluster.doors()[0]
    wait_until_ready("replica 1 coming back", running_cluster.process,
                     [HttpGet(f"http://127.0.0.1:{door}/health", require_200=True),
                      lambda: "Replica 1 is back" in running_cluster.log.read_text(errors="replace")],
                     STARTUP_SECONDS)


def test_postgresql_restarted_under_load_loses_and_doubles_nothing(
        running_cluster: Cluster, postgres: PrivatePostgres) -> None:
    everyone = practitioners(running_cluster)

    def restart() -> None:
        postgres.stop()
        time.sleep(OUTAGE_SECONDS)
        postgres.start()

    run_all(everyone, restart, after_answers=USERS)
    backfill(running_cluster)  # rebuilds any row the action servers could neither write nor spool
    assert_nothing_lost_or_doubled(running_cluster, everyone)
    assert [status for p in everyone for status, _ in p.refusals].count(503) > 0  # the outage was felt
    assert "0 rows written" in backfill(running_cluster)
    assert running_cluster.process.poll() is None


def test_redis_stopped_under_load_refuses_clearly_and_loses_nothing(
        running_cluster: Cluster, own_redis: Tuple[Supervisor, str]) -> None:
    supervisor, _url = own_redis
    everyone = practitioners(running_cluster)

    def outage() -> None:
        supervisor.stop("redis")
        time.sleep(OUTAGE_SECONDS)
        supervisor.start("redis")

    run_all(everyone, outage, after_answers=USERS)
    assert_nothing_lost_or_doubled(running_cluster, everyone)
    refusals = [reason for p in everyone for status, reason in p.refusals if status == 503]
    assert refusals and all("Please try again" in reason for reason in refusals)
    assert running_cluster.process.poll() is None
