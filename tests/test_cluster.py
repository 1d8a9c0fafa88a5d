"""`python -m bot serve --replicas 2` for real (tests/cluster_servers.py), on the machine's PostgreSQL (a
database of this module's own) and Redis: state across replicas, the lock, routing, a replica killed.

Failures under load (a replica killed, PostgreSQL or Redis stopped, with 20 users at once) are in
tests/test_cluster_failures.py.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests

from bot import cluster, settings
from bot.supervisor import HttpGet, Service, Supervisor, free_port, wait_until_ready
from tests.cluster_servers import STARTUP_SECONDS, Cluster, listening, started_cluster
from tests.fixtures import TEST_REDIS_URL, new_postgres_database
from tests.servers import answer_button, joined

REDIS_URL = TEST_REDIS_URL


@pytest.fixture(scope="module")
def database_url(postgres_admin) -> Iterator[str]:
    with new_postgres_database(postgres_admin, "test_cluster") as url:
        yield url


@pytest.fixture(scope="module")
def running_cluster(tmp_path_factory, database_url: str, redis_server: str) -> Iterator[Cluster]:
    with started_cluster(tmp_path_factory.mktemp("cluster"), database_url, redis_server) as running:
        yield running


def test_a_conversation_keeps_its_state_when_its_messages_land_on_different_replicas(
        running_cluster: Cluster) -> None:
    user, before = f"cluster-{uuid.uuid4().hex}", len(running_cluster.replicas_of_webhook_posts())
    assert "Is the child in immediate danger" in joined(running_cluster.say(user, "/start_missing_walkthrough"))
    running_cluster.say(user, "/deny")
    running_cluster.say(user, "/inform{\"practitioner_role\":\"carer\"}")
    checklist = joined(running_cluster.say(user, "/inform{\"care_status\":\"in_care\"}"))
    served_by = running_cluster.replicas_of_webhook_posts()[before:]
    assert len(served_by) == 4 and len(set(served_by)) == 2, served_by
    assert any(first != second for first, second in zip(served_by, served_by[1:], strict=False)), served_by
    # The walkthrough's state (its questions answered, in order) and both slots, set on one replica or the
    # other, are all there for the last message.
    assert "Checklist — child in care missing" in checklist
    assert "As a foster carer or children's home worker" in checklist
    # The same slot, set on one replica, tailors a later answer on the other.
    again = joined(running_cluster.say(user, "/start_missing_walkthrough"))
    assert "Is the child in immediate danger" in again
    served_by = running_cluster.replicas_of_webhook_posts()[before:]
    assert len(set(served_by)) == 2


def test_a_quiz_keeps_its_place_and_score_when_its_answers_land_on_different_replicas(
        running_cluster: Cluster) -> None:
    trainee, before = f"cluster-{uuid.uuid4().hex}", len(running_cluster.replicas_of_webhook_posts())
    started = running_cluster.say(trainee, "quiz me")
    assert "Question 1 of 3" in joined(started)
    first = running_cluster.say(trainee, answer_button(started, "a"))
    assert "Not quite" in first[0]["text"] and "Question 2 of 3" in joined(first)
    second = running_cluster.say(trainee, answer_button(first, "c"))
    assert second[0]["text"].startswith("✅ Correct") and "Question 3 of 3" in joined(second)
    finished = joined(running_cluster.say(trainee, answer_button(second, "b")))
    assert "Quiz finished. Your score: 2 out of 3 (67%)." in finished
    served_by = running_cluster.replicas_of_webhook_posts()[before:]
    assert len(served_by) == 4 and any(a != b for a, b in zip(served_by, served_by[1:], strict=False)), served_by


def test_two_messages_sent_at_once_to_two_replicas_are_processed_one_after_the_other(
        running_cluster: Cluster) -> None:
    user = f"cluster-{uuid.uuid4().hex}"
    doors = running_cluster.doors()
    assert len(doors) == 2
    running_cluster.say(user, "hello")  # the conversation exists before the two arrive together
    messages = ["who do I tell if a child goes missing?", "who carries out the return home interview?"]
    start, replies, errors = threading.Barrier(2), {}, []

    def send(door: int, message: str) -> None:
        try:
            start.wait(timeout=60)
            replies[message] = running_cluster.say(user, message, f"http://127.0.0.1:{door}")
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=send, args=(door, message))
               for door, message in zip(doors, messages, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == [] and set(replies) == set(messages)
    events = running_cluster.events(user)
    users = [event for event in events if event["event"] == "user"]
    assert sorted(event["text"] for event in users[1:]) == sorted(messages)  # both, once each
    # Each message is followed by its own answer and its own action_listen before the next message comes:
    # the two were not processed at once.
    turns = []
    for event in events:
        if event["event"] == "user":
            turns.append({"text": event["text"], "answers": 0, "listened": False})
        elif turns and event["event"] == "bot":
            assert not turns[-1]["listened"], events
            turns[-1]["answers"] += 1
        elif turns and event["event"] == "action" and event.get("name") == "action_listen":
            turns[-1]["listened"] = True
    assert [turn["answers"] > 0 and turn["listened"] for turn in turns] == [True] * len(turns), turns
    for message in messages:
        assert replies[message], message


def test_a_killed_replica_is_routed_around_and_started_again(running_cluster: Cluster) -> None:
    """Last of the cluster's tests: it kills replica 1's Rasa server, which the cluster then starts again."""
    door = running_cluster.doors()[0]
    user = f"cluster-{uuid.uuid4().hex}"
    assert "Is the child in immediate danger" in joined(running_cluster.say(user, "/start_missing_walkthrough"))
    os.kill(running_cluster.rasa_server_pid(1), signal.SIGKILL)
    # The cluster stops the replica's door, so nginx no longer sends it anything.
    wait_until_ready("replica 1's door stopping", running_cluster.process, [lambda: not listening(door)], 120)
    before = len(running_cluster.replicas_of_webhook_posts())
    running_cluster.say(user, "/deny")
    running_cluster.say(user, "/inform{\"practitioner_role\":\"carer\"}")
    checklist = joined(running_cluster.say(user, "/inform{\"care_status\":\"in_care\"}"))
    assert "Checklist — child in care missing" in checklist
    assert "As a foster carer or children's home worker" in checklist
    assert f"127.0.0.1:{door}" not in running_cluster.replicas_of_webhook_posts()[before:]
    # Replica 1 comes back, its door last, and takes its share again.
    wait_until_ready("replica 1 coming back", running_cluster.process,
                     [HttpGet(f"http://127.0.0.1:{door}/health", require_200=True),
                      lambda: "Replica 1 is back" in running_cluster.log.read_text(errors="replace")], STARTUP_SECONDS)
    before = len(running_cluster.replicas_of_webhook_posts())
    for n in range(4):
        running_cluster.say(f"cluster-{uuid.uuid4().hex}", f"hello {n}")
    assert f"127.0.0.1:{door}" in running_cluster.replicas_of_webhook_posts()[before:]
    assert running_cluster.process.poll() is None

def test_the_front_door_config_routes_each_path_where_the_docs_say(tmp_path: Path) -> None:
    layout = cluster.Plan(18080, 9001, [cluster.Replica(1, 5101, 5201, 9101), cluster.Replica(2, 5102, 5202, 9102)],
                          tmp_path)
    config = cluster.nginx_config(layout, "0.0.0.0")
    blocks = dict(re.findall(r"upstream (\w+) \{(.*?)\}", config, re.DOTALL))
    assert "ip_hash;" in blocks["socketio"] and "ip_hash" not in blocks["webhooks"]
    for name in ("socketio", "webhooks"):
        assert re.findall(r"server 127\.0\.0\.1:(\d+)", blocks[name]) == ["9101", "9102"]  # the doors, not Rasa
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", blocks["web_tier"]) == ["9001"]
    locations = dict(re.findall(r"location (?:= )?(\S+) \{\s*proxy_pass http://(\w+);", config))
    assert locations == {"/socket.io/": "socketio", "/webhooks/rest/webhook": "webhooks",
                         "/webhooks/teams/webhook": "webhooks", "/webhooks/teams/": "webhooks", "/": "web_tier"}
    assert "listen 18080;" in config and not re.search(r"\{\{\w+\}\}", config)
    assert "$request_uri" not in config and "$args" not in config  # the log never holds a query string
    cluster.check_nginx_config(cluster.write_nginx_config(layout, "127.0.0.1"), tmp_path)  # nginx -t


@pytest.mark.parametrize("env, refused", [
    ({"REDIS_URL": REDIS_URL}, "PostgreSQL"),
    ({"DATABASE_URL": "sqlite:///x.db", "REDIS_URL": REDIS_URL}, "PostgreSQL"),
    ({"DATABASE_URL": "postgresql://h/db"}, "REDIS_URL"),
])
def test_replicas_are_refused_without_shared_stores(env: Dict[str, str], refused: str) -> None:
    with pytest.raises(settings.ConfigurationError, match=refused):
        cluster.check_environment(env)
    cluster.check_environment({"TRACKER_DATABASE_URL": "postgresql://h/db", "REDIS_URL": REDIS_URL})


class _Door(ThreadingHTTPServer):
    """A stand-in for a replica's door: answers every request with `status`, and counts the POSTs it got."""

    def __init__(self, status: int) -> None:
        self.status, self.posts = status, 0

        class Handler(BaseHTTPRequestHandler):
            def _answer(handler) -> None:  # noqa: N805
                length = int(handler.headers.get("Content-Length") or 0)
                handler.rfile.read(length)
                body = json.dumps({"port": self.server_address[1]}).encode()
                handler.send_response(self.status)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            def do_GET(handler) -> None:  # noqa: N802,N805
                handler._answer()

            def do_POST(handler) -> None:  # noqa: N802,N805
                self.posts += 1
                handler._answer()

            def log_message(handler, *args: object) -> None:  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]


@contextlib.contextmanager
def front_door(tmp_path: Path, doors: List[int], web_tier: int) -> Iterator[str]:
    """The real nginx with the cluster's configuration, in front of the given door ports."""
    layout = cluster.Plan(free_port(), web_tier, [cluster.Replica(n, 0, 0, port) for n, port in enumerate(doors, 1)],
                          tmp_path)
    config = cluster.write_nginx_config(layout, "127.0.0.1")
    nginx = Service("nginx", cluster.nginx_command(config, tmp_path), None, tmp_path,
                    (HttpGet(f"http://127.0.0.1:{layout.listen_port}/health", require_200=True),), tmp_path / "out.log",
                    timeout=60)
    with Supervisor([nginx]) as supervisor:
        supervisor.start_all()
        yield f"http://127.0.0.1:{layout.listen_port}"


def post(url: str, n: int) -> requests.Response:
    return requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "s", "message": f"m{n}"}, timeout=30)


def test_a_message_for_a_replica_that_is_not_listening_goes_to_another(tmp_path: Path) -> None:
    alive, web_tier = _Door(200), _Door(200)
    try:
        with front_door(tmp_path, [free_port(), alive.port], web_tier.port) as url:  # the first door: nothing there
            answers = [post(url, n) for n in range(6)]
        assert [answer.status_code for answer in answers] == [200] * 6
        assert {answer.json()["port"] for answer in answers} == {alive.port}
        assert alive.posts == 6
    finally:
        alive.shutdown(), web_tier.shutdown()


def test_a_message_a_replica_received_is_never_sent_to_another(tmp_path: Path) -> None:
    """A door that got the message and failed (502) may have had it processed: nginx must not repeat it."""
    failing, alive, web_tier = _Door(502), _Door(200), _Door(200)
    try:
        with front_door(tmp_path, [failing.port, alive.port], web_tier.port) as url:
            codes = [post(url, n).status_code for n in range(6)]
        assert failing.posts > 0 and failing.posts + alive.posts == 6  # each message delivered exactly once
        assert codes.count(502) == failing.posts and codes.count(200) == alive.posts
    finally:
        failing.shutdown(), alive.shutdown(), web_tier.shutdown()
