"""End to end, against a real PostgreSQL and the real servers: every query logged once, redacted,
through a database outage and an action-server outage (python -m bot backfill)."""
from __future__ import annotations

import subprocess
import sys
import uuid
from typing import Iterator, List

import pytest
import requests
import sqlalchemy as sa

from bot import settings
from bot.channels.rest import REFUSAL
from tests.pg_cluster import PrivatePostgres, running_private_postgres
from tests.servers import Servers, running

SECRETS = ["Jayden", "Okafor", "07700 900461", "Elm Grove", "CH1 4BJ", "chloe.x22", "943 476 5919"]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivatePostgres]:
    with running_private_postgres() as server:
        yield server


@pytest.fixture(scope="module")
def servers(postgres: PrivatePostgres, tmp_path_factory) -> Iterator[Servers]:
    with running(tmp_path_factory.mktemp("servers"), postgres.url) as servers:
        yield servers


def rows(postgres: PrivatePostgres, sql: str) -> List[tuple]:
    engine = sa.create_engine(postgres.url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql)).all()
    finally:
        engine.dispose()


def logged(postgres: PrivatePostgres, message_texts_like: str = "%") -> List[tuple]:
    return rows(postgres, "SELECT message_id, sender, text, intent, topic, fell_back, is_button, helpful, "
                          f"practitioner_role, channel FROM query_log WHERE text LIKE '{message_texts_like}'")


def sender() -> str:
    return f"practitioner-{uuid.uuid4().hex[:8]}"


def count(postgres: PrivatePostgres) -> int:
    return rows(postgres, "SELECT count(*) FROM query_log")[0][0]


def test_every_query_is_logged_once_and_redacted(servers: Servers, postgres: PrivatePostgres) -> None:
    before = count(postgres)
    user = sender()
    script = [
        "Jayden Okafor (07700 900461) has gone missing from 22 Elm Grove, CH1 4BJ. Who do I tell?",
        "/feedback_helpful",
        "/start_missing_walkthrough",
        "no",
        "I'm a police officer",
        "his snap is chloe.x22 and NHS no 943 476 5919, he's LAC placed out of county",
        "zxqv plonk wibble",
        "what's the weather like",
    ]
    for message in script:
        assert servers.say(user, message), message
    log = rows(postgres, "SELECT text, intent, topic, fell_back, is_button, helpful, practitioner_role, sender "
                         "FROM query_log ORDER BY created_at")[before:]
    assert len(log) == len(script) == count(postgres) - before
    stored = " ".join(row[0] for row in log)
    assert not [secret for secret in SECRETS if secret in stored]
    assert log[0][0] == "[NAME] ([PHONE]) has gone missing from [ADDRESS], [POSTCODE]. Who do I tell?"
    assert log[0][1:3] == ("child_missing", "child_missing") and log[0][5] is True  # helpful, from the button
    assert log[1][4] is True and log[1][0] == "/feedback_helpful" and log[2][2] == "missing_walkthrough_form"
    assert log[4][6] == "police" and log[6][3] is True and log[7][2] == "out_of_scope"
    assert {row[7] for row in log} != {user} and all(row[7].startswith("p_") for row in log)

    events = " ".join(data for (data,) in rows(postgres, "SELECT data FROM events"))
    assert not [secret for secret in SECRETS if secret in events]
    assert user not in " ".join(s for (s,) in rows(postgres, "SELECT DISTINCT sender_id FROM events"))
    assert not [secret for secret in SECRETS if secret in servers.logs()]


def send(servers: Servers, user: str, message: str, message_id: str) -> requests.Response:
    return requests.post(servers.webhook, json={"sender": user, "message": message, "message_id": message_id},
                         timeout=60)


def test_nothing_is_lost_while_the_database_is_down(servers: Servers, postgres: PrivatePostgres) -> None:
    """The conversations are in the same database: a message that arrives while it is down is refused, not
    answered without its conversation, and answered once it is back; each is logged once."""
    before = count(postgres)
    user = sender()
    assert servers.say(user, "hello")
    questions = {"q1": "who does the return home interview", "q2": "what is a safe and well check",
                 "q3": "Amira Hussain hasn't come home, who do I tell"}
    postgres.stop()
    try:
        for message_id, question in questions.items():
            refused = send(servers, user, question, message_id)
            assert refused.status_code == 503, question
            assert refused.json() == REFUSAL
    finally:
        postgres.start()
    answers = {}
    for message_id, question in questions.items():  # sent again, as the client was told
        answered = send(servers, user, question, message_id)
        assert answered.status_code == 200 and answered.json() and answered.json()[0]["text"], question
        answers[message_id] = answered.json()
    # Sent a third time (the client never saw the answer): answered as before, not processed again.
    again = send(servers, user, questions["q3"], "q3")
    assert again.status_code == 200 and again.json() == answers["q3"]
    log = logged(postgres)
    assert count(postgres) - before == 4
    assert len({row[0] for row in log}) == len(log)
    assert not [row for row in log if "Amira" in row[2] or "Hussain" in row[2]]
    stored_users = [data for (data,) in rows(postgres, "SELECT data FROM events WHERE type_name = 'user'")
                    if "safe and well check" in data]
    assert len(stored_users) == 1  # the refused attempts left nothing behind


def test_backfill_rebuilds_rows_missed_while_the_action_server_was_down(
    servers: Servers, postgres: PrivatePostgres
) -> None:
    before = count(postgres)
    user = sender()
    servers.stop_actions()
    try:
        answers = [servers.say(user, question) for question in ("what are the signs of CSE",
                                                                  "how do I escalate a disagreement")]
        assert all(reply and reply[0]["text"] for reply in answers)
        assert count(postgres) == before
    finally:
        servers.start_actions()

    def backfill() -> str:
        result = subprocess.run([sys.executable, "-m", "bot", "backfill"], cwd=settings.ROOT,
                                env=servers.environment(), capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-800:]
        return result.stdout

    assert "2 rows written" in backfill()
    assert count(postgres) == before + 2
    assert "0 rows written" in backfill()
    assert count(postgres) == before + 2


BAD_INPUTS = ["", "   ", "x" * 10_000, "😀😀😀", "\x00\x07\x1b[31m", "caf\udcff", "'; DROP TABLE query_log; --",
              "<script>alert('x')</script>"]


@pytest.mark.parametrize("message", BAD_INPUTS, ids=["empty", "spaces", "10k", "emoji", "control", "surrogate",
                                                     "sql", "html"])
def test_bad_input_gets_a_reply_and_is_stored_safely(servers: Servers, postgres: PrivatePostgres,
                                                      message: str) -> None:
    before = count(postgres)
    replies = servers.say(sender(), message)
    assert replies and replies[0]["text"]
    assert count(postgres) == before + 1
    [(text,)] = rows(postgres, "SELECT text FROM query_log ORDER BY id DESC LIMIT 1")
    assert len(text) <= 2000 and "\x00" not in text


def test_undecodable_bytes_are_refused_without_harm(servers: Servers) -> None:
    response = requests.post(servers.webhook, data=b'{"sender": "x", "message": "\xff\xfe"}',
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert 400 <= response.status_code < 500
    assert servers.say(sender(), "hello")
