"""The Redis lock store serialises one conversation's messages across separate processes, against a real Redis.

Rasa's own `RedisLockStore` takes a ticket by reading the lock, changing it in memory and writing it back
(RasaHQ/rasa#9213): two processes that read before either writes both get ticket 0 and are served at once.
The interleaving is forced here, not left to chance: each contender's first read of Redis waits until the
other has made its own, so the race happens every time. Ours takes a ticket in one atomic script, and the same
interleaving leaves it serialised.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Callable, Iterator, List

import pytest
import requests

redis = pytest.importorskip("redis")
lock_store = pytest.importorskip("rasa.core.lock_store")

from bot import serve, settings  # noqa: E402
from bot.channels.rest import REFUSAL  # noqa: E402
from bot.lock_store import AtomicRedisLockStore  # noqa: E402
from tests.fixtures import TEST_REDIS_URL  # noqa: E402
from tests.private_redis import private_redis  # noqa: E402
from tests.servers import joined, running  # noqa: E402
from tests.socketio_client import Client, run  # noqa: E402

REDIS_URL = TEST_REDIS_URL
# How long a holder waits for the other contender to enter beside it: long enough that, were both let in,
# the second would arrive within it; with a correct lock the other never comes and the holder goes on.
HOLD_SECONDS = 3.0
BARRIER_SECONDS = 120.0
POLL_SECONDS = 0.01


@pytest.fixture
def prefix(redis_server: str) -> Iterator[str]:
    """A key prefix of this test's own (alphanumeric, as Rasa requires); its keys are deleted afterwards."""
    name = f"test{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.StrictRedis.from_url(redis_server)
    for key in client.scan_iter(f"{name}*"):
        client.delete(key)
    client.close()


def rasa_store(url: str, prefix: str) -> lock_store.RedisLockStore:
    """Rasa's own class, on the same server and database."""
    address = redis.connection.parse_url(url)
    return lock_store.RedisLockStore(host=address.get("host", "127.0.0.1"), port=address.get("port", 6379),
                                     db=address.get("db", 0), key_prefix=prefix)


def our_store(url: str, prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(url=url, key_prefix=prefix)


STORES = {"rasa": rasa_store, "ours": our_store}


def _contender(kind: str, url: str, prefix: str, conversation: str, name: str, other: str, barrier) -> None:
    """One process: takes the conversation's lock once, its first read of Redis held until the other's."""
    store = STORES[kind](url, prefix)
    events = redis.StrictRedis.from_url(url)
    read = store.red.get
    waited: List[bool] = []

    def get(key: str):
        value = read(key)
        if not waited:
            waited.append(True)
            barrier.wait(timeout=BARRIER_SECONDS)
        return value

    store.red.get = get

    async def once() -> None:
        async with store.lock(conversation, lock_lifetime=120, wait_time_in_seconds=POLL_SECONDS):
            events.rpush(f"{prefix}:events", f"enter {name}")
            deadline = time.monotonic() + HOLD_SECONDS
            while time.monotonic() < deadline and f"enter {other}".encode() not in events.lrange(
                    f"{prefix}:events", 0, -1):
                time.sleep(POLL_SECONDS)
            events.rpush(f"{prefix}:events", f"exit {name}")

    asyncio.run(once())


def _repeater(kind: str, url: str, prefix: str, conversation: str, name: str, rounds: int) -> None:
    """One process: takes the lock `rounds` times; inside it, adds one to a counter by reading then writing."""
    store = STORES[kind](url, prefix)
    client = redis.StrictRedis.from_url(url)

    async def run() -> None:
        for _ in range(rounds):
            async with store.lock(conversation, lock_lifetime=120, wait_time_in_seconds=POLL_SECONDS):
                client.rpush(f"{prefix}:events", f"enter {name}")
                counted = int(client.get(f"{prefix}:counter") or 0)
                await asyncio.sleep(0.002)  # a message being processed: another holder would read the same count
                client.set(f"{prefix}:counter", counted + 1)
                client.rpush(f"{prefix}:events", f"exit {name}")

    asyncio.run(run())


def run_processes(target: Callable[..., None], argument_lists: List[tuple]) -> None:
    context = multiprocessing.get_context("spawn")  # nothing of this process's Redis connections is shared
    processes = [context.Process(target=target, args=arguments) for arguments in argument_lists]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    codes = [process.exitcode for process in processes]
    for process in processes:
        if process.is_alive():
            process.kill()
    assert codes == [0] * len(processes)


def most_at_once(prefix: str) -> int:
    """The most holders inside the lock at the same time, by the events they wrote."""
    client = redis.StrictRedis.from_url(REDIS_URL)
    inside = most = 0
    for event in client.lrange(f"{prefix}:events", 0, -1):
        inside += 1 if event.startswith(b"enter") else -1
        most = max(most, inside)
    client.close()
    return most


@pytest.mark.parametrize("kind", [
    pytest.param("rasa", marks=pytest.mark.xfail(strict=True, reason="RasaHQ/rasa#9213: the ticket step races")),
    "ours",
])
def test_two_processes_taking_a_ticket_at_the_same_moment_are_served_one_at_a_time(kind: str, prefix: str) -> None:
    conversation = f"conversation-{uuid.uuid4().hex}"
    barrier = multiprocessing.get_context("spawn").Barrier(2)
    run_processes(_contender, [(kind, REDIS_URL, prefix, conversation, "a", "b", barrier),
                               (kind, REDIS_URL, prefix, conversation, "b", "a", barrier)])
    client = redis.StrictRedis.from_url(REDIS_URL)
    events = sorted(event.decode() for event in client.lrange(f"{prefix}:events", 0, -1))
    assert events == ["enter a", "enter b", "exit a", "exit b"]  # both served, once each
    assert most_at_once(prefix) == 1
    assert client.get(f"{prefix}:lock:{conversation}") is None  # the lock is gone once both are done


def test_three_processes_taking_turns_never_overlap_and_lose_no_update(prefix: str) -> None:
    conversation, rounds = f"conversation-{uuid.uuid4().hex}", 40
    run_processes(_repeater, [("ours", REDIS_URL, prefix, conversation, name, rounds) for name in "abc"])
    client = redis.StrictRedis.from_url(REDIS_URL)
    assert int(client.get(f"{prefix}:counter")) == 3 * rounds
    assert most_at_once(prefix) == 1
    assert client.get(f"{prefix}:lock:{conversation}") is None


def test_ours_keeps_rasas_format_and_ticket_order(prefix: str) -> None:
    ours, theirs = our_store(REDIS_URL, prefix), rasa_store(REDIS_URL, prefix)
    conversation = "conversation-1"
    assert [ours.issue_ticket(conversation) for _ in range(3)] == [0, 1, 2]
    assert theirs.issue_ticket(conversation) == 3  # Rasa's class reads and extends the lock ours wrote
    lock = theirs.get_lock(conversation)
    assert lock is not None and lock.conversation_id == conversation
    assert [ticket.number for ticket in lock.tickets] == [0, 1, 2, 3] and lock.now_serving == 0
    ours.cleanup(conversation, 0)
    assert ours.get_lock(conversation).now_serving == 1
    ours.cleanup(conversation, 2)  # a ticket given back out of turn leaves the queue's order as it was
    assert ours.tickets(conversation) == [1, 3]
    ours.cleanup(conversation, 1)
    ours.cleanup(conversation, 3)
    assert ours.get_lock(conversation) is None  # the last ticket given back deletes the lock


def test_expired_tickets_are_dropped(prefix: str) -> None:
    store = our_store(REDIS_URL, prefix)
    assert store.issue_ticket("c", lock_lifetime=-1) == 0  # expired at once, as a crashed holder's would be
    assert store.issue_ticket("c", lock_lifetime=60) == 0  # no live ticket before it: numbering starts again
    store.issue_ticket("c", lock_lifetime=-1)
    store.update_lock("c")
    assert store.tickets("c") == [0]


def test_a_lost_redis_is_a_lock_error(prefix: str) -> None:
    store = AtomicRedisLockStore(url="redis://127.0.0.1:1/0", socket_timeout=2)
    with pytest.raises(lock_store.LockError):
        store.issue_ticket("c")


def test_rasa_creates_ours_from_the_endpoints_serve_writes(prefix: str, tmp_path, monkeypatch) -> None:
    from rasa.core.utils import AvailableEndpoints

    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    env = {"REDIS_URL": REDIS_URL}
    path = serve.write_endpoints(tmp_path / "endpoints.yml", 5055, env)
    assert "6379" not in path.read_text()  # the address (and any password in it) stays in the environment
    store = lock_store.LockStore.create(AvailableEndpoints.read_endpoints(str(path)).lock_store)
    assert isinstance(store, AtomicRedisLockStore)
    assert "lock_store" not in serve.endpoints_config(5055, {})  # without REDIS_URL: Rasa's in-memory store


def test_redis_url_must_be_a_redis_address() -> None:
    assert settings.REDIS_URL.get({"REDIS_URL": "redis://h:6379/1"}) == "redis://h:6379/1"
    with pytest.raises(settings.ConfigurationError, match="REDIS_URL must be a redis://"):
        settings.REDIS_URL.get({"REDIS_URL": "http://user:secret@h"})
    with pytest.raises(settings.ConfigurationError) as error:
        settings.REDIS_URL.get({"REDIS_URL": "h:6379 password=secret"})
    assert "secret" not in str(error.value)


def stored_user_texts(directory: Path) -> List[str]:
    """The user messages of every conversation in a test's own SQLite tracker store, in order."""
    with sqlite3.connect(directory / "tracker.db") as connection:
        rows = connection.execute("SELECT data FROM events WHERE type_name = 'user' ORDER BY id").fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_with_redis_down_a_message_is_refused_clearly_and_nothing_answered_is_lost(tmp_path: Path) -> None:
    with private_redis(tmp_path) as (redis_supervisor, url), \
            running(tmp_path, extra_env={"REDIS_URL": url}) as servers:
        user = f"redis-{uuid.uuid4().hex}"
        assert "Is the child in immediate danger" in joined(servers.say(user, "/start_missing_walkthrough"))
        servers.say(user, "/deny")
        redis_supervisor.stop("redis")
        refused = requests.post(servers.webhook, json={"sender": user, "message": '/inform{"practitioner_role":'
                                                                                   '"carer"}'}, timeout=60)
        assert refused.status_code == 503 and refused.json() == REFUSAL
        redis_supervisor.start("redis")
        servers.say(user, '/inform{"practitioner_role":"carer"}')  # sent again by the client
        checklist = joined(servers.say(user, '/inform{"care_status":"in_care"}'))
        assert "Checklist — child in care missing" in checklist
        assert "As a foster carer or children's home worker" in checklist
        # The web chat is told too, in its own conversation, and its message is not kept.
        redis_supervisor.stop("redis")
        heard = run(lambda: _web_chat_says(f"http://127.0.0.1:{servers.rasa_port}", "who do I tell?"))
        redis_supervisor.start("redis")
        assert [message.get("text") for message in heard] == [REFUSAL["error"]]
    texts = stored_user_texts(tmp_path)
    assert len(texts) == 4  # the refused messages were never processed; the one sent again, once
    assert texts[0] == "/start_missing_walkthrough" and texts[1] == "/deny"



async def _web_chat_says(url: str, text: str) -> List[dict]:
    client = Client(url, settings.allowed_origins()[0])  # the Rasa server's own socket.io, as the web app forwards it
    try:
        await client.connect()
        await client.sio.emit("user_uttered", {"message": text})
        for _ in range(60):
            if client.heard:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1)  # anything more would come now
        return client.heard
    finally:
        await client.close()
