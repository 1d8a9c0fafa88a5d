"""A Redis server of a test's own, for tests that stop and start it mid-run, never disturbing the shared one."""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Iterator, Tuple

import pytest
import redis

from bot.supervisor import Service, Supervisor, free_port


@contextlib.contextmanager
def private_redis(directory: Path) -> Iterator[Tuple[Supervisor, str]]:
    """A Redis server of this test's own, to stop and start again; nothing kept on disk."""
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed: `apt-get install redis-server`", pytrace=False)
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    def answers() -> bool:
        client = redis.StrictRedis.from_url(url, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    server = Service("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(directory)], None, directory, (answers,),
                     directory / "redis.log", timeout=60)
    with Supervisor([server]) as supervisor:
        supervisor.start_all()
        yield supervisor, url
