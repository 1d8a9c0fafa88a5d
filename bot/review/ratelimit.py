"""Rate limits per client address: token buckets in memory, and who the client is behind a reverse proxy.

Used by the web app's front door (chat and webhook paths) and by the dashboard's login. A bucket holds at
most `capacity` tokens and gains `capacity` tokens per `period` seconds; each request takes one, and a request
that finds none is refused with how long to wait. The buckets live in the memory of one web app process:
with several processes, each counts on its own (docs/it.md says so).

Taking a token is synchronous (no await between the check and the take), so concurrent requests on one event
loop can never take more than there are.
"""
from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, Tuple

from aiohttp import web

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_KEYS = 50_000  # addresses remembered per bucket; past that, full buckets are forgotten first


@dataclass
class _Level:
    tokens: float
    at: float


class TokenBucket:
    """`capacity` requests at once per key, refilled at `capacity` per `period` seconds."""

    def __init__(self, capacity: int, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        if capacity < 1 or period <= 0:
            raise ValueError("a token bucket needs a capacity of at least 1 and a positive period")
        self.capacity = float(capacity)
        self.rate = capacity / period  # tokens per second
        self.clock = clock
        self._levels: Dict[str, _Level] = {}

    def take(self, key: str) -> float:
        """0.0 if the key may go on (a token is taken); else the seconds until a token is there (none taken)."""
        now = self.clock()
        level = self._level(key, now)
        if level.tokens >= 1.0:
            level.tokens -= 1.0
            return 0.0
        return (1.0 - level.tokens) / self.rate

    def give_back(self, key: str) -> None:
        """Returns a token taken for a request that turned out not to count (e.g. a login that succeeded)."""
        level = self._levels.get(key)
        if level is not None:
            level.tokens = min(self.capacity, level.tokens + 1.0)

    def _level(self, key: str, now: float) -> _Level:
        level = self._levels.get(key)
        if level is None:
            if len(self._levels) >= MAX_KEYS:
                self._forget(now)
            level = self._levels[key] = _Level(self.capacity, now)
        else:
            level.tokens = min(self.capacity, level.tokens + (now - level.at) * self.rate)
            level.at = now
        return level

    def _forget(self, now: float) -> None:
        """Drops the keys whose buckets have refilled (they behave as new ones); if none, the oldest half."""
        full = [key for key, level in self._levels.items()
                if level.tokens + (now - level.at) * self.rate >= self.capacity]
        if not full:
            by_age = sorted(self._levels, key=lambda key: self._levels[key].at)
            full = by_age[: len(by_age) // 2 or 1]
        for key in full:
            del self._levels[key]


def retry_after(seconds: float) -> str:
    """The Retry-After header's value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))


def trusted_networks(values: Iterable[str]) -> Tuple[Network, ...]:
    """The reverse proxies whose X-Forwarded-For is believed (addresses or networks, e.g. 10.0.0.0/8)."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValueError(f"WEB_TRUSTED_PROXIES: {value!r} is not an IP address or network") from None
    return tuple(networks)


def client_address(request: web.Request, trusted: Tuple[Network, ...] = ()) -> str:
    """The client's address: the peer's, or, when the peer is a trusted reverse proxy, the last address in
    X-Forwarded-For that is not one of the trusted proxies (the one the outermost trusted proxy saw)."""
    peer = request.remote or "unknown"
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for header in request.headers.getall("X-Forwarded-For", []) for hop in header.split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted(hop, trusted):
            return hop if _is_address(hop) else peer
    return peer


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_trusted(value: str, trusted: Tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return any(address in network for network in trusted)
