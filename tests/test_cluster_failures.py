"""Two replicas behind nginx under load from 20 practitioners at once (half in a walkthrough, half in a quiz),
while one part fails: a Rasa replica is killed (`kill -9`), PostgreSQL is restarted, Redis is stopped; and
the web chat, in the real browser through nginx, across a reload and the loss of the replica it was on.

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
import time
from typing import Iterator, List, Tuple

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from bot import settings
from bot.supervisor import HttpGet, Supervisor, wait_until_ready
from tests.browser import launched_chromium
from tests.cluster_servers import STARTUP_SECONDS, Cluster, listening, started_cluster
from tests.pg_cluster import PrivatePostgres, running_private_postgres
from tests.practitioners import RETRYABLE, Practitioner, run_all
from tests.private_redis import private_redis

USERS = 20
OUTAGE_SECONDS = 4.0


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivatePostgres]:
    with running_private_postgres() as server:
        yield server


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


def wait_for_replica_back(running: Cluster, replica: int) -> None:
    door = running.doors()[replica - 1]
    wait_until_ready(f"replica {replica} coming back", running.process,
                     [HttpGet(f"http://127.0.0.1:{door}/health", require_200=True),
                      lambda: f"Replica {replica} is back" in running.log.read_text(errors="replace")],
                     STARTUP_SECONDS)


def test_a_replica_killed_under_load_loses_and_doubles_nothing(running_cluster: Cluster) -> None:
    everyone = practitioners(running_cluster)
    victim = running_cluster.rasa_server_pid(1)
    before_kill, answers = run_all(everyone, lambda: os.kill(victim, signal.SIGKILL), after_answers=USERS)
    assert_nothing_lost_or_doubled(running_cluster, everyone)
    assert answers - before_kill >= USERS  # most of the load came after the kill
    print(f"killed under load: {before_kill} answers before, {answers} in all; refusals "
          f"{sorted(status for p in everyone for status, _ in p.refusals)}; lost connections "
          f"{sum(p.lost_connections for p in everyone)}")
    assert running_cluster.process.poll() is None
    wait_for_replica_back(running_cluster, 1)  # so the next test starts with two


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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launched_chromium()


def test_the_web_chat_through_nginx_carries_on_across_a_reload_and_its_replica_killed(
        running_cluster: Cluster, browser: object) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(running_cluster.url + "/")
        expect(page.locator(".message.bot").first).to_contain_text("immediate danger, call 999")
        page.get_by_label("Your question").fill("quiz me")
        page.keyboard.press("Enter")
        page.locator(".message.bot", has_text="Question 1 of 3").locator(".choices button").nth(0).click()  # a
        expect(page.locator(".message.bot", has_text="Question 2 of 3")).to_have_count(1)
        expect(page.locator(".message.bot", has_text="Not quite")).to_have_count(1)

        shown = page.locator(".message").all_inner_texts()
        page.reload()
        expect(page.locator(".message")).to_have_count(len(shown))
        assert page.locator(".message").all_inner_texts() == shown

        # The replica the page's socket is on (nginx keeps a client on one: ip_hash) is killed.
        door = int(running_cluster.replicas_of_socketio_requests()[-1].rsplit(":", 1)[1])
        replica = running_cluster.doors().index(door) + 1
        os.kill(running_cluster.rasa_server_pid(replica), signal.SIGKILL)
        wait_until_ready(f"replica {replica}'s door stopping", running_cluster.process,
                         [lambda: not listening(door)], 120)

        # The page reconnects, to the other replica, and the quiz carries on where it was: question 2.
        page.locator(".message.bot", has_text="Question 2 of 3").locator(".choices button").nth(2).click()  # c
        expect(page.locator(".message.bot", has_text="Question 3 of 3")).to_have_count(1, timeout=120_000)
        expect(page.locator(".message.bot", has_text="Correct")).to_have_count(1)
        assert f"127.0.0.1:{door}" != running_cluster.replicas_of_socketio_requests()[-1]
    finally:
        context.close()
    wait_for_replica_back(running_cluster, replica)
