"""Concurrent simulated users posting to a Rasa REST channel, and the latency statistics."""
from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Sequence

import aiohttp

REQUEST_TIMEOUT_SECONDS = 60


@dataclass
class Tally:
    sent: int = 0  # requests begun, answered or not: the messages the bot may have received
    latencies_ms: List[float] = field(default_factory=list)
    errors: int = 0
    empty_replies: int = 0


def share(total: int, users: int, index: int) -> int:
    """How many of `total` messages user `index` of `users` sends."""
    return total // users + (1 if index < total % users else 0)


async def _post(session: aiohttp.ClientSession, url: str, sender: str, text: str, tally: Tally) -> None:
    started = time.perf_counter()
    tally.sent += 1
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None)
            ok = response.status == 200 and isinstance(body, list)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        ok, body = False, None
    if not ok:
        tally.errors += 1
        return
    tally.latencies_ms.append((time.perf_counter() - started) * 1000)
    tally.empty_replies += 0 if body else 1


async def _user(
    session: aiohttp.ClientSession, url: str, texts: Sequence[str], count: int, offset: int, tally: Tally
) -> None:
    """One practitioner: a unique sender id, messages one after another, each waiting for its reply."""
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    for step in range(count):
        await _post(session, url, sender, texts[(offset + step) % len(texts)], tally)


async def _drive(url: str, texts: Sequence[str], users: int, total: int, tally: Tally) -> None:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(
            *(_user(session, url, texts, share(total, users, i), i * 3, tally) for i in range(users))
        )


async def _bounded(url: str, texts: Sequence[str], users: int, total: int, limit: float) -> Dict[str, object]:
    tally = Tally()
    started = time.perf_counter()
    timed_out = False
    try:
        await asyncio.wait_for(_drive(url, texts, users, total, tally), timeout=limit)
    except asyncio.TimeoutError:
        timed_out = True
    return summarise(tally, time.perf_counter() - started, users, total, timed_out)


def run_scenario(url: str, texts: Sequence[str], users: int, total: int, limit: float) -> Dict[str, object]:
    """Sends `total` messages spread over `users` concurrent users; gives up after `limit` seconds."""
    return asyncio.run(_bounded(url, texts, users, total, limit))


def warm_up(url: str, texts: Sequence[str], count: int) -> Dict[str, object]:
    return asyncio.run(_bounded(url, texts, 1, count, REQUEST_TIMEOUT_SECONDS))


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear-interpolated percentile (same as numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def summarise(tally: Tally, elapsed: float, users: int, total: int, timed_out: bool) -> Dict[str, object]:
    done = len(tally.latencies_ms)
    return {
        "users": users,
        "messages_planned": total,
        "messages_sent": tally.sent,
        "messages_ok": done,
        "errors": tally.errors,
        "empty_replies": tally.empty_replies,
        "timed_out": timed_out,
        "elapsed_s": round(elapsed, 2),
        "throughput_msg_s": round(done / elapsed, 2) if elapsed > 0 else None,
        "p50_ms": _rounded(percentile(tally.latencies_ms, 0.50)),
        "p95_ms": _rounded(percentile(tally.latencies_ms, 0.95)),
        "max_ms": _rounded(max(tally.latencies_ms, default=None)),
    }
