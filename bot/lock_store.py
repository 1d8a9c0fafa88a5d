"""Rasa's Redis lock store with each change of a conversation's lock made atomic, for several Rasa servers.

Rasa serialises the messages of one conversation with a ticket lock: a message takes the next ticket, waits
until its ticket is the first one still in the queue, is processed, and gives its ticket back. Rasa 3.6's
`RedisLockStore` keeps that queue in one Redis key, but changes it by reading the key, changing it in the
server's memory and writing it back (RasaHQ/rasa#9213). Two servers taking a ticket for the same
conversation at the same moment both read the same queue and both write it back with the same ticket: both
are then served at once, and one message's events can be written over the other's. The same read, change and
write gives a ticket back, so a ticket taken meanwhile on another server can be lost too.

`AtomicRedisLockStore` keeps Rasa's ticket ordering and its lock format (the key, its JSON, Rasa's
`TicketLock`), but takes a ticket, gives one back and drops expired ones each in one Lua script, which Redis
runs atomically. It needs one Redis server (not Redis Cluster), given by `REDIS_URL`; `python -m bot serve`
names it in Rasa's endpoints when `REDIS_URL` is set. Clocks: as in Rasa, a ticket's expiry is the time on the
server that took it, so the Rasa servers' clocks must agree (NTP).
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    LockError,
    LockStore,
    RedisLockStore,
)

from bot import settings

logger = logging.getLogger(__name__)

# Shared by the scripts: the lock's tickets that have not expired by ARGV[1] (seconds since the epoch), each
# kept as the JSON text Rasa stores, and the lock written back in Rasa's format, a list of those texts as
# JSON strings (cjson would write an empty list as {}, so the JSON is put together here).
_LIVE_TICKETS = """
local now = tonumber(ARGV[1])
local lock = nil
local raw = redis.call('GET', KEYS[1])
if raw then lock = cjson.decode(raw) end
local live = {}
local numbers = {}
if lock and lock['tickets'] then
  for _, text in ipairs(lock['tickets']) do
    local ticket = cjson.decode(text)
    if tonumber(ticket['expires']) >= now then
      table.insert(live, text)
      table.insert(numbers, tonumber(ticket['number']))
    end
  end
end
local function write(conversation_id)
  local quoted = {}
  for index, text in ipairs(live) do quoted[index] = cjson.encode(text) end
  redis.call('SET', KEYS[1], '{"conversation_id": ' .. cjson.encode(conversation_id) .. ', "tickets": ['
    .. table.concat(quoted, ', ') .. ']}')
end
"""

# KEYS[1] the lock; ARGV: now, the ticket's lifetime in seconds, the conversation id. Returns the new ticket:
# one more than the last live ticket, 0 when there is none (as Rasa's TicketLock.issue_ticket).
_ISSUE = _LIVE_TICKETS + """
local number = 0
if #numbers > 0 then number = numbers[#numbers] + 1 end
table.insert(live, string.format('{"number": %d, "expires": %.6f}', number, now + tonumber(ARGV[2])))
write(ARGV[3])
return number
"""

# KEYS[1] the lock; ARGV: now, the ticket given back, the conversation id. Removes the ticket and expired
# ones; deletes the lock when no ticket is left (Rasa's finish_serving and cleanup in one step). Returns the
# number of tickets left.
_FINISH = _LIVE_TICKETS + """
local ticket = tonumber(ARGV[2])
for index = #numbers, 1, -1 do
  if numbers[index] == ticket then
    table.remove(live, index)
    table.remove(numbers, index)
  end
end
if #live == 0 then
  redis.call('DEL', KEYS[1])
else
  write(ARGV[3])
end
return #live
"""

# KEYS[1] the lock; ARGV: now, the conversation id. Drops expired tickets of an existing lock (Rasa's
# update_lock, which keeps the lock even when it is left empty). Returns the number of tickets left.
_UPDATE = _LIVE_TICKETS + """
if raw then write(ARGV[2]) end
return #live
"""


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's `RedisLockStore`, on `REDIS_URL`, with every change of a lock made in one atomic script.

    Rasa creates it from endpoints.yml (`lock_store: type: bot.lock_store.AtomicRedisLockStore`), passing the
    endpoint's configuration; the address comes from `REDIS_URL`, so that a password in it is never written to
    a file. Reads (`get_lock`), and `delete_lock` and `save_lock`, are Rasa's own.
    """

    def __init__(
        self,
        endpoint_config: Any = None,
        url: str | None = None,
        key_prefix: str | None = None,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    ) -> None:
        import redis

        url = url or settings.REDIS_URL.get()
        if not url:
            raise settings.ConfigurationError(
                f"{type(self).__name__} needs {settings.REDIS_URL.name}, the address of one Redis server")
        kwargs = dict(getattr(endpoint_config, "kwargs", None) or {})
        key_prefix = key_prefix or kwargs.get("key_prefix")
        self.red = redis.StrictRedis.from_url(url, socket_timeout=socket_timeout,
                                              socket_connect_timeout=socket_timeout)
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if key_prefix:
            self._set_key_prefix(key_prefix)
        LockStore.__init__(self)
        self._issue = self.red.register_script(_ISSUE)
        self._finish = self.red.register_script(_FINISH)
        self._update = self.red.register_script(_UPDATE)

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """Rasa's read; an unreachable Redis while a message waits for its turn refuses it (a LockError)."""
        try:
            return super().get_lock(conversation_id)
        except LockError:
            raise
        except Exception as error:
            raise LockError(f"Error while reading a lock. Error:\n{error}") from error

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return int(self._issue(keys=[self._key(conversation_id)],
                                   args=[repr(time.time()), repr(float(lock_lifetime)), conversation_id]))
        except Exception as error:  # as Rasa's: any failure to take a ticket is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        try:
            self._update(keys=[self._key(conversation_id)], args=[repr(time.time()), conversation_id])
        except Exception as error:  # still waiting, nothing processed yet: refused as a LockError
            raise LockError(f"Error while waiting for a lock. Error:\n{error}") from error

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Gives the ticket back. If Redis cannot be reached, the message has been processed all the same: the
        failure is logged, not raised (its answer is not lost), and the ticket expires after its lifetime."""
        import redis

        try:
            self._finish(keys=[self._key(conversation_id)],
                         args=[repr(time.time()), str(int(ticket_number)), conversation_id])
        except redis.RedisError as error:
            logger.warning("A conversation's lock ticket could not be given back (%s): it expires on its own",
                           type(error).__name__)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Gives the ticket back and deletes the lock if no one else holds a ticket, in one step."""
        self.finish_serving(conversation_id, ticket_number)

    def tickets(self, conversation_id: str) -> list | None:
        """The lock's ticket numbers as stored (for tests and diagnosis); None when there is no lock."""
        raw = self.red.get(self._key(conversation_id))
        return None if raw is None else [json.loads(ticket)["number"] for ticket in json.loads(raw)["tickets"]]
